package io.attach.core;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Splits a URL by hand, because {@link java.net.URI} loses the host and user info of multi-host lists, host names
 * with underscores, percent-encoded socket paths and user names with a raw {@code @}. As in RFC 3986, the authority
 * ends at the first {@code /}, {@code ?} or {@code #}, and the last {@code @} inside it ends the user info.
 * <p>
 * A value may also be a comma-separated list of URLs of one scheme, the nodes of a cluster
 * ({@code amqp://u:p@h1/vh,amqp://u:p@h2/vh}). It is read as a list only when every URL reads on its own and the URLs
 * after the first repeat its credentials or leave them out: otherwise a password holding a raw {@code ,amqp://} could
 * be split into a "host" or "user name" that would then be shown.
 *
 * @author attach
 */
final class ResourceUrlParser {

	private static final Pattern PORT_AT_END = Pattern.compile(":\\d+$");

	private static final Pattern DOTTED_HOST_AFTER_AT = Pattern.compile("@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+$");

	private static final Pattern HOST_AND_PORT_AFTER_AT = Pattern.compile("@[A-Za-z0-9._-]+(?::\\d+|/)");

	// An '@' in the password followed by host:port up to its end: two authorities, one after the other (a user name
	// may hold "@domain.com" before a password of digits).
	private static final Pattern GLUED_AUTHORITY = Pattern.compile("@[^@:]+:\\d*$");

	private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*");

	private static final Pattern NEXT_URL = Pattern.compile(",(?=[a-zA-Z][a-zA-Z0-9+.-]*://)");

	private static final String ENCODE_ACTION = "Percent-encode reserved characters in the user name and password "
			+ "('@' as %40, ':' as %3A, '/' as %2F, '#' as %23, '?' as %3F, '%' as %25).";

	private final String setting;

	private final String value;

	ResourceUrlParser(String setting, String value) {
		this.setting = setting;
		this.value = value;
	}

	ResourceUrl parse() {
		try {
			return read(this.value.strip());
		}
		catch (Failure failure) {
			throw new InvalidResourceUrlException(this.setting, this.value, failure.problem, failure.action);
		}
	}

	/**
	 * Returns the URLs of a value that reads as a list, each as written, or the value alone; never fails, for
	 * redaction.
	 * @param value any text
	 * @return the URLs of the list, or the value
	 */
	static List<String> listedUrls(String value) {
		String url = value.strip();
		if (!NEXT_URL.matcher(url).find()) {
			return List.of(value);
		}
		try {
			ResourceUrl parsed = new ResourceUrlParser("", url).read(url);
			return parsed.isList() ? parsed.urls().stream().map(ResourceUrl::value).toList() : List.of(value);
		}
		catch (Failure failure) {
			return List.of(value);
		}
	}

	/**
	 * Tells whether text reads as a URL; never fails, for redaction, which hides more of what the parser refuses.
	 * @param value any text
	 * @return whether {@link #parse()} would accept it, before any kind's own checks
	 */
	static boolean parses(String value) {
		try {
			new ResourceUrlParser("", value).read(value.strip());
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private ResourceUrl read(String url) {
		String[] candidates = NEXT_URL.split(url);
		if (candidates.length == 1) {
			return readOne(url);
		}
		List<String> schemes = new ArrayList<>();
		for (String candidate : candidates) {
			String scheme = candidate.substring(0, Math.max(candidate.indexOf("://"), 0)).toLowerCase(Locale.ROOT);
			if (!SCHEME.matcher(scheme).matches()) {
				// The first is no "scheme://" URL, so what follows a comma is not a list's next URL.
				return readOne(url);
			}
			schemes.add(scheme);
		}
		if (schemes.stream().distinct().count() > 1) {
			// One URL may hold ",https://…" in a query value; only when it cannot be one URL is it a mixed list.
			try {
				return readOne(url);
			}
			catch (Failure failure) {
				throw new Failure("mixes " + String.join(" and ", schemes.stream().distinct().sorted().toList())
						+ " URLs in one list", "Give every URL of a list the first one's scheme. " + ENCODE_ACTION);
			}
		}
		List<ResourceUrl> urls = new ArrayList<>();
		for (int i = 0; i < candidates.length; i++) {
			try {
				urls.add(readOne(candidates[i]));
			}
			catch (Failure failure) {
				throw new Failure(failure.problem + " in URL " + (i + 1) + " of the list", failure.action);
			}
		}
		ResourceUrl first = urls.get(0);
		for (int i = 1; i < urls.size(); i++) {
			ResourceUrl next = urls.get(i);
			boolean none = next.username() == null && next.password() == null;
			if (!none && !(Objects.equals(next.username(), first.username())
					&& Objects.equals(next.password(), first.password()))) {
				throw new Failure("has other credentials in URL " + (i + 1) + " than in the first",
						"Give the URLs of a list the first one's user name and password, or none after the first. "
								+ ENCODE_ACTION + " Write ',' in a password as %2C.");
			}
		}
		return new ResourceUrl(this.setting, url, first.scheme(), first.username(), first.password(), first.hosts(),
				first.path(), first.parameters(), first.fragment(), false, urls);
	}

	private ResourceUrl readOne(String url) {
		int colon = url.indexOf(':');
		if (url.isEmpty() || colon <= 0 || !SCHEME.matcher(url.substring(0, colon)).matches()) {
			throw invalid("has no scheme",
					"Set it to a URL such as postgres://user:password@host:5432/database.");
		}
		String scheme = url.substring(0, colon).toLowerCase();
		String rest = url.substring(colon + 1);
		if (!rest.startsWith("//") && scheme.indexOf('.') >= 0) {
			// "db.internal:5432/myapp" is a host and port, not a URL with the scheme "db.internal".
			throw invalid("has no scheme", "Set it to a URL such as postgres://user:password@host:5432/database.");
		}
		if (!rest.startsWith("//")) {
			return new ResourceUrl(this.setting, url, scheme, null, null, List.of(), rest, List.of(), null, true,
					List.of());
		}
		rest = rest.substring(2);
		String fragment = null;
		int hash = rest.indexOf('#');
		if (hash >= 0) {
			fragment = rest.substring(hash + 1);
			if (fragment.indexOf('@') >= 0) {
				throw invalid("has an unencoded '#' in its user info", "Percent-encode '#' in the password as %23.");
			}
			rest = rest.substring(0, hash);
		}
		// RFC 3986: the authority ends at the first '/' or '?' ('#' is cut off above), and the last '@' inside it
		// ends the user info. An '@' in a query value so stays out of the user info, and the host stays the host.
		int authorityEnd = authorityEnd(rest);
		String authority = rest.substring(0, authorityEnd);
		String afterHosts = rest.substring(authorityEnd);
		int at = authority.lastIndexOf('@');
		String userInfo = (at >= 0) ? authority.substring(0, at) : null;
		checkNoUserInfoAfterAuthority(afterHosts, userInfo != null, authority.substring(at + 1));
		if (userInfo != null && userInfo.indexOf(':') >= 0
				&& GLUED_AUTHORITY.matcher(userInfo.substring(userInfo.indexOf(':') + 1)).find()) {
			// "user:pw@db:5432@other" reads, by the grammar, as the host "other" with the password "pw@db:5432": a
			// pasted or doubled authority would send the credentials to the wrong host.
			throw invalid("has an '@' followed by what looks like a host and port in its user info",
					"Give one authority, user:password@host:port; percent-encode an '@' in the password as %40.");
		}
		List<HostAndPort> hosts = parseHosts(authority.substring(at + 1));
		int query = afterHosts.indexOf('?');
		String path = (query >= 0) ? afterHosts.substring(0, query) : afterHosts;
		path = path.startsWith("/") ? path.substring(1) : path;
		List<ResourceUrl.Parameter> parameters = (query >= 0) ? parseQuery(afterHosts.substring(query + 1))
				: List.of();
		String username = null;
		String password = null;
		if (userInfo != null) {
			int separator = userInfo.indexOf(':');
			username = decode((separator >= 0) ? userInfo.substring(0, separator) : userInfo, "user name");
			password = (separator >= 0) ? decode(userInfo.substring(separator + 1), "password") : null;
			username = username.isEmpty() ? null : username;
		}
		return new ResourceUrl(this.setting, url, scheme, username, password, hosts, path, parameters, fragment,
				false, List.of());
	}

	/**
	 * Returns where the authority ends in the text after {@code //}, as in RFC 3986: at the first {@code /},
	 * {@code ?} or {@code #}, or at the end.
	 * @param afterSlashes the URL's text after {@code scheme://}
	 * @return the index of the authority's end
	 */
	static int authorityEnd(String afterSlashes) {
		int end = indexOfAny(afterSlashes, "/?#", 0);
		return (end >= 0) ? end : afterSlashes.length();
	}

	/**
	 * Tells whether the user info ends at the last {@code '@'} inside the authority, the {@code '@'}s after the
	 * authority being part of the query. An '@' after the authority may end user info holding a raw {@code /},
	 * {@code ?} or {@code #}: "app:1234/pw@db" splits at the '/' of the password, and the rest must never be taken
	 * for a path or query, nor "1234" for a port. So an '@' is read as part of the query only inside a parameter's
	 * value of a URL that has user info before its host ("app:pw@db?application_name=a@b"); without user info,
	 * "tok?en=x@cache" may be a lone token with a raw '?', so the host would be part of a password.
	 * <p>
	 * For hosts given without a port and a URL without a path, it also refuses a query value ending in {@code @} and
	 * a dotted host: "tok@a?=x@db.example.com" is a password cut short by a raw '?' as well as it is the host "a".
	 * With a port, the other reading holds "@host:port" in the password, which is refused as a glued authority.
	 * @param afterAuthority the text after the authority, with its fragment if any
	 * @param hasUserInfo whether the authority holds an {@code '@'}
	 * @param hosts the hosts after the last {@code '@'} of the authority: without a port (an empty one, "a:", is
	 * none) the other reading holds no glued authority to refuse
	 * @return whether the URL reads unambiguously
	 */
	static boolean userInfoEndsInAuthority(String afterAuthority, boolean hasUserInfo, String hosts) {
		boolean bareHosts = !PORT_AT_END.matcher(hosts).find();
		if (afterAuthority.indexOf('@') < 0) {
			return true;
		}
		int hash = afterAuthority.indexOf('#');
		if (!hasUserInfo || (hash >= 0 && afterAuthority.indexOf('@', hash) >= 0)) {
			return false;
		}
		String beforeFragment = (hash >= 0) ? afterAuthority.substring(0, hash) : afterAuthority;
		int query = beforeFragment.indexOf('?');
		String path = (query >= 0) ? beforeFragment.substring(0, query) : beforeFragment;
		// An empty path is no path for a host of one label ("tok@a/?=x@db.example.com" is as ambiguous as without the
		// '/'); a dotted host before it reads as written (smtp://u:p@smtp.example.com/?_server_email=ops@example.com).
		boolean noPath = query == 0 || (path.equals("/") && hosts.chars().noneMatch((ch) -> ".,[".indexOf(ch) >= 0));
		return path.indexOf('@') < 0 && atSignsOnlyInValues(beforeFragment.substring(query + 1), bareHosts && noPath);
	}

	private void checkNoUserInfoAfterAuthority(String afterAuthority, boolean hasUserInfo, String hosts) {
		if (!userInfoEndsInAuthority(afterAuthority, hasUserInfo, hosts)) {
			throw invalid("has an '@' after the host, which means an unencoded '" + afterAuthority.charAt(0)
					+ "' in the user info", ENCODE_ACTION + " Write '@' in query values as %40.");
		}
	}

	private static boolean atSignsOnlyInValues(String query, boolean bare) {
		for (String pair : query.split("&")) {
			int at = pair.indexOf('@');
			int equals = pair.indexOf('=');
			// A value holding "@host:port" or "@host/" is the rest of a user info cut short by a raw '?'
			// ("app:p@?x@db:5432/shop").
			if (at >= 0 && (equals < 0 || equals > at || HOST_AND_PORT_AFTER_AT.matcher(pair).find())) {
				return false;
			}
			// With no path, "tok@a?=x@db.example.com" is a password "tok@a?=x" cut short by a raw '?' before its
			// host, just as well as a host "a": a dotted host after the last '@' decides for the first reading.
			if (at >= 0 && bare && DOTTED_HOST_AFTER_AT.matcher(pair).find()) {
				return false;
			}
		}
		return true;
	}

	private List<HostAndPort> parseHosts(String authority) {
		List<HostAndPort> hosts = new ArrayList<>();
		if (authority.isEmpty()) {
			return hosts;
		}
		String[] entries = authority.split(",", -1);
		for (String entry : entries) {
			hosts.add(parseHost(entry, entries.length > 1));
		}
		return List.copyOf(hosts);
	}

	private HostAndPort parseHost(String entry, boolean list) {
		String host;
		String port;
		if (entry.startsWith("[")) {
			int close = entry.indexOf(']');
			if (close < 0 || (close + 1 < entry.length() && entry.charAt(close + 1) != ':')) {
				throw invalid("has an IPv6 address without its closing ']'",
						"Write IPv6 hosts in brackets, such as [::1]:5432.");
			}
			host = entry.substring(1, close);
			port = (close + 1 < entry.length()) ? entry.substring(close + 2) : "";
		}
		else {
			if (entry.indexOf(':') != entry.lastIndexOf(':')) {
				throw invalid("has an IPv6 address without brackets", "Write IPv6 hosts in brackets, such as [::1]:5432.");
			}
			int colon = entry.lastIndexOf(':');
			host = (colon >= 0) ? entry.substring(0, colon) : entry;
			port = (colon >= 0) ? entry.substring(colon + 1) : "";
		}
		if (host.isEmpty()) {
			throw invalid("has an empty host", "Give every host a name, such as db.internal:5432.");
		}
		if (host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
			throw invalid("has a '[' or ']' outside an IPv6 address", "Write IPv6 hosts in brackets, such as [::1]:5432,"
					+ " and no bracket anywhere else in the host list.");
		}
		String name = decode(host, "host");
		if (!name.startsWith("/") && name.chars().anyMatch((ch) -> ch > 127)) {
			// A name in Unicode is looked up, and its certificate matched, in its ASCII form. Java's IDNA2003 maps
			// the characters IDNA2008 keeps ('ß' to "ss"): such a name would reach another domain than a browser's.
			if (name.chars().anyMatch((ch) -> ch == '\u00DF' || ch == '\u03C2' || ch == '\u200C' || ch == '\u200D')) {
				throw invalid("has a host name with 'ß', 'ς' or a joiner, which IDNA versions read differently",
						"Write the host in its ASCII form (xn--…).");
			}
			try {
				name = IDN.toASCII(name, IDN.ALLOW_UNASSIGNED);
			}
			catch (IllegalArgumentException ex) {
				throw invalid("has a host name that is not a valid internationalized domain name",
						"Write the host in its ASCII form (xn--…).");
			}
		}
		if (name.startsWith(".")) {
			// No resolver looks such a name up; from a password with raw delimiters it is what remains of one
			// ("tok@.a/?=x@db.example.com" would send "tok" to ".a"). A kind checks the rest of its names' syntax.
			throw invalid("has a host name starting with '.'", "Write the host as it resolves, such as db.internal:5432.");
		}
		if (list && name.chars().allMatch(Character::isDigit)) {
			// "db:54,32" lists the host "32", which resolvers read as the address 0.0.0.32: a stray ',' in a port. A
			// lone name of digits may be meant (an S3 bucket named by an account number).
			throw invalid("has a host that is only digits", "Give every host a name or a dotted address, such as"
					+ " db.internal:5432; hosts in a list are separated by ','.");
		}
		return new HostAndPort(name, parsePort(port));
	}

	private @Nullable Integer parsePort(String port) {
		if (port.isEmpty()) {
			return null;
		}
		int number = -1;
		if (port.length() <= 5 && port.chars().allMatch(Character::isDigit)) {
			number = Integer.parseInt(port);
		}
		if (number < 1 || number > 65535) {
			// The port is not echoed: with a raw '/' in the password it may be part of the password.
			throw invalid("has an invalid port (expected a number from 1 to 65535)",
					"Fix the port. If the password holds reserved characters: " + ENCODE_ACTION);
		}
		return number;
	}

	private List<ResourceUrl.Parameter> parseQuery(String query) {
		List<ResourceUrl.Parameter> parameters = new ArrayList<>();
		for (String pair : query.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair, "query parameter name");
			String rawValue = (equals >= 0) ? pair.substring(equals + 1) : "";
			decode(rawValue, "value of query parameter '" + name + "'");
			parameters.add(new ResourceUrl.Parameter(name, rawValue));
		}
		return List.copyOf(parameters);
	}

	private String decode(String text, String part) {
		try {
			return PercentEncoding.decode(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("has an invalid percent-encoding in its " + part, ENCODE_ACTION);
		}
	}

	private Failure invalid(String problem, String action) {
		return new Failure(problem, action);
	}

	/**
	 * A problem found while reading, made into an {@link InvalidResourceUrlException} only by {@link #parse()}, so
	 * that redaction can try to read a value without building an exception that redacts it again.
	 */
	private static final class Failure extends RuntimeException {

		private final String problem;

		private final String action;

		Failure(String problem, String action) {
			super(problem, null, false, false);
			this.problem = problem;
			this.action = action;
		}

	}

	private static int indexOfAny(String text, String characters, int from) {
		for (int i = from; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

}
