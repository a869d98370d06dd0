package io.attach.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Splits a URL by hand, because {@link java.net.URI} loses the host and user info of multi-host lists, host names
 * with underscores, percent-encoded socket paths and user names with a raw {@code @}. As in RFC 3986, the authority
 * ends at the first {@code /}, {@code ?} or {@code #}, and the last {@code @} inside it ends the user info.
 *
 * @author attach
 */
final class ResourceUrlParser {

	private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*");

	private static final String ENCODE_ACTION = "Percent-encode reserved characters in the user name and password "
			+ "('@' as %40, ':' as %3A, '/' as %2F, '#' as %23, '?' as %3F, '%' as %25).";

	private final String setting;

	private final String value;

	ResourceUrlParser(String setting, String value) {
		this.setting = setting;
		this.value = value;
	}

	ResourceUrl parse() {
		String url = this.value.strip();
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
			return new ResourceUrl(this.setting, url, scheme, null, null, List.of(), rest, List.of(), null, true);
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
		int authorityEnd = indexOfAny(rest, "/?", 0);
		authorityEnd = (authorityEnd >= 0) ? authorityEnd : rest.length();
		String authority = rest.substring(0, authorityEnd);
		String afterHosts = rest.substring(authorityEnd);
		int at = authority.lastIndexOf('@');
		String userInfo = (at >= 0) ? authority.substring(0, at) : null;
		checkNoUserInfoAfterAuthority(afterHosts, userInfo != null);
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
				false);
	}

	/**
	 * Refuses an {@code '@'} after the authority that may end user info holding a raw {@code /} or {@code ?}:
	 * "app:1234/pw@db" splits at the '/' of the password, and the rest must never be taken for a path or query, nor
	 * "1234" for a port. An '@' is read as part of the query only inside a parameter's value of a URL that has user
	 * info before its host ("app:pw@db?application_name=a@b"); without user info, "tok?en=x@cache" may be a lone
	 * token with a raw '?', so the host would be part of a password.
	 */
	private void checkNoUserInfoAfterAuthority(String afterAuthority, boolean hasUserInfo) {
		if (afterAuthority.indexOf('@') < 0) {
			return;
		}
		int query = afterAuthority.indexOf('?');
		String path = (query >= 0) ? afterAuthority.substring(0, query) : afterAuthority;
		if (path.indexOf('@') >= 0 || !hasUserInfo || !atSignsOnlyInValues(afterAuthority.substring(query + 1))) {
			throw invalid("has an '@' after the host, which means an unencoded '" + afterAuthority.charAt(0)
					+ "' in the user info", ENCODE_ACTION + " Write '@' in query values as %40.");
		}
	}

	private static boolean atSignsOnlyInValues(String query) {
		for (String pair : query.split("&")) {
			int at = pair.indexOf('@');
			int equals = pair.indexOf('=');
			if (at >= 0 && (equals < 0 || equals > at)) {
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
		for (String entry : authority.split(",", -1)) {
			hosts.add(parseHost(entry));
		}
		return List.copyOf(hosts);
	}

	private HostAndPort parseHost(String entry) {
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
		return new HostAndPort(decode(host, "host"), parsePort(port));
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

	private InvalidResourceUrlException invalid(String problem, String action) {
		return new InvalidResourceUrlException(this.setting, this.value, problem, action);
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
