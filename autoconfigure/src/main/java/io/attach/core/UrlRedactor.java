package io.attach.core;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Removes passwords from URL text that may not even parse, erring towards hiding too much.
 * <p>
 * What the user info holds is decided by the setting the URL came from, never by its scheme: a scheme is whatever
 * the URL says, so {@code redis+ssl://<token>@host} must not pass for a user name. Only for a setting of a kind
 * attach knows is a user name shown, and a lone token only where that kind reads it as a user name
 * ({@code DATABASE_URL=postgres://app@db}); for any other setting every user-info token is masked. A user name
 * equal to the password (Postmark's server tokens) is masked everywhere. In a comma-separated list of URLs each URL is
 * redacted on its own, but only when the value reads as a list as {@link ResourceUrl} reads it; otherwise it is one
 * URL, whose user info may run up to the last {@code @}.
 *
 * @author attach
 */
public final class UrlRedactor {

	/**
	 * What stands in for a removed secret.
	 */
	public static final String MASK = "****";

	// The value runs to the next parameter, past a '#', and over the names without a value that follow it: a raw '#'
	// or '&' in a password would otherwise show what follows ("password=ab&cd"). A ';' ends it only in a list of
	// ';'-separated parameters (jdbc:sqlserver://db;password=x;user=a), where '&' does not, and a value in braces
	// ("{ab;c=d}") holds ';' too; in a query ('?' and '&') a ';' is part of the value, as every URL driver reads it,
	// and "password=ab;cd" would otherwise show "cd".
	private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i)"
			+ "((?:^|[?&])[^=&;?:/]*(?:password|secret|token)[^=&;?]*)=[^&]*(?:&[^=&]*=?(?=&|$))*"
			+ "|([;:][^=&;?:/]*(?:password|secret|token)[^=&;?]*)=(?:\\{[^}]*\\}|[^;])*(?:;[^=;]*=?(?=;|$))*");

	private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.\\-]*(:[a-zA-Z][a-zA-Z0-9+.\\-]*)*");

	private UrlRedactor() {
	}

	/**
	 * Redacts a URL whose setting is not known: every user-info token and any secret-looking query parameter.
	 * @param value the URL text, valid or not
	 * @return the text with secrets replaced by {@value #MASK}
	 * @see #redact(String, String)
	 */
	public static String redact(String value) {
		return redact(null, value);
	}

	/**
	 * Redacts the password in the user info and in any secret-looking query parameter. The user info ends where
	 * {@link ResourceUrl} ends it, at the last {@code @} of the authority, as long as every {@code @} after it is in
	 * a query parameter's value; otherwise everything between the first {@code :} after the scheme and the last
	 * {@code @} is hidden, so a password holding raw {@code /}, {@code ?}, {@code #} or {@code @} characters is hidden
	 * too. So is a lone user-info token unless the setting's kind reads it as a user name, and the user name unless
	 * the setting is one attach knows.
	 * @param setting the variable or property the URL came from, such as {@code REDIS_URL}, or {@code null}
	 * @param value the URL text, valid or not
	 * @return the text with secrets replaced by {@value #MASK}
	 */
	public static String redact(@Nullable String setting, String value) {
		// Each URL of a list on its own; a value that does not read as a list is redacted as one URL.
		return ResourceUrlParser.listedUrls(value)
			.stream()
			.map((url) -> SECRET_PARAMETER.matcher(redactUserInfo(setting, url)).replaceAll("$1$2=" + MASK))
			.collect(Collectors.joining(","));
	}

	/**
	 * Tells whether a query parameter's name looks like one of a secret.
	 * @param name the name
	 * @return whether it holds {@code password}, {@code secret} or {@code token}, in any case
	 */
	static boolean isSecretName(String name) {
		String lower = name.toLowerCase(java.util.Locale.ROOT);
		return lower.contains("password") || lower.contains("secret") || lower.contains("token");
	}

	/**
	 * Redacts the secret-looking parameters in text that is not a whole URL, such as a fragment.
	 * @param text the text
	 * @return the text with the values of secret-looking parameters replaced by {@value #MASK}
	 */
	static String redactParameters(String text) {
		return SECRET_PARAMETER.matcher(text).replaceAll("$1$2=" + MASK);
	}

	/**
	 * Tells whether a value looks like a URL that carries credentials.
	 * @param value any text
	 * @return whether redacting would change it
	 */
	public static boolean hasSecrets(String value) {
		return hasSecrets(null, value);
	}

	/**
	 * Tells whether a setting's value looks like a URL that carries credentials.
	 * @param setting the variable or property the value came from, or {@code null}
	 * @param value any text
	 * @return whether redacting would change it
	 */
	public static boolean hasSecrets(@Nullable String setting, String value) {
		return !redact(setting, value).equals(value);
	}

	/**
	 * Returns the user info to show for decoded credentials, ending with {@code @}, or an empty string.
	 * @param setting the variable or property the URL came from
	 * @param username the decoded user name, or {@code null}
	 * @param password the decoded password, or {@code null}
	 * @return the redacted user info
	 */
	static String userInfo(@Nullable String setting, @Nullable String username, @Nullable String password) {
		if (password == null) {
			if (username == null) {
				return "";
			}
			return (loneTokenIsUserName(setting) ? PercentEncoding.encodeUserInfo(username) : MASK) + "@";
		}
		String shownUser = (username == null) ? ""
				: showsUserName(setting, username, password) ? PercentEncoding.encodeUserInfo(username) : MASK;
		return shownUser + ":" + MASK + "@";
	}

	private static String redactUserInfo(@Nullable String setting, String value) {
		int separator = value.indexOf("://");
		if (separator < 0 || !SCHEME.matcher(value.substring(0, separator)).matches()) {
			// No "//" right after the scheme (or a sub-protocol such as jdbc:mysql): "://" later on is not ours.
			return redactWithoutAuthority(value);
		}
		int start = separator + 3;
		String afterSlashes = value.substring(start);
		int inAuthority = userInfoEndInAuthority(value, afterSlashes);
		// A URL the parser refuses may hold a password with a raw '/', '?', '#' or '@': up to the last '@' is hidden.
		boolean refused = inAuthority < 0;
		int at = refused ? afterSlashes.lastIndexOf('@') : inAuthority;
		if (at < 0) {
			return value;
		}
		at += start;
		String userInfo = value.substring(start, at);
		int colon = userInfo.indexOf(':');
		if (colon < 0) {
			boolean shown = loneTokenIsUserName(setting) && !(refused && holdsRawDelimiter(userInfo));
			return value.substring(0, start) + (shown ? userInfo : MASK) + value.substring(at);
		}
		String username = userInfo.substring(0, colon);
		// In a refused URL a "user name" with a raw '@' is the head of a token ("tok@a:?x@db"); in one the parser
		// reads, it is a user name like any other ("me@example.com:pw@host").
		boolean shown = username.isEmpty() || (showsUserName(setting, username, userInfo.substring(colon + 1))
				&& !(refused && holdsRawDelimiter(username)));
		return value.substring(0, start) + (shown ? username : MASK) + ":" + MASK + value.substring(at);
	}

	// Where the parser ends the user info, at the last '@' of the authority, so that "app:pw@db/x?application_name=a@b"
	// shows the host it connects to; -1 when the parser refuses the URL, whatever the reason (a host or port that is
	// no host or port may be what follows a raw '@' of the password: "tok@.a/?=x@db.example.com").
	private static int userInfoEndInAuthority(String value, String afterSlashes) {
		int authorityEnd = ResourceUrlParser.authorityEnd(afterSlashes);
		int at = afterSlashes.lastIndexOf('@', authorityEnd - 1);
		// An '@' right before the end of the authority leaves no host: the rest may be password ("app:p@?x@db").
		if (at < 0 || at >= authorityEnd - 1) {
			return -1;
		}
		boolean readable = ResourceUrlParser.userInfoEndsInAuthority(afterSlashes.substring(authorityEnd), true,
				afterSlashes.substring(at + 1, authorityEnd));
		return (readable && ResourceUrlParser.parses(value)) ? at : -1;
	}

	private static boolean holdsRawDelimiter(String text) {
		return text.chars().anyMatch((ch) -> "/?#[]@".indexOf(ch) >= 0);
	}

	// "app:pw@db/x", "postgres:/app:pw@db" or "jdbc:oracle:thin:scott/pw@db": no "//" marks the user info, so
	// everything from the first ':' to the last '@' may be secret.
	private static String redactWithoutAuthority(String value) {
		int colon = value.indexOf(':');
		int at = value.lastIndexOf('@');
		return (colon >= 0 && at > colon) ? value.substring(0, colon + 1) + MASK + value.substring(at) : value;
	}

	private static boolean loneTokenIsUserName(@Nullable String setting) {
		return kind(setting).map((kind) -> !kind.lonePasswordToken()).orElse(false);
	}

	private static boolean showsUserName(@Nullable String setting, String username, String password) {
		// A user name like the password is a token given twice (Postmark's), perhaps with a typo or pasted twice; one
		// holding a character no user info holds raw is no user name the parser would read (smtps:///…).
		return kind(setting).isPresent() && !alike(decoded(username), decoded(password))
				&& !alike(username, password) && username.chars().noneMatch((ch) -> "/?#[]".indexOf(ch) >= 0);
	}

	/**
	 * Tells whether a user name is like a password: equal or, both of six characters or more, one holds the other,
	 * they are at most two edits apart (a typo) or they share a stretch of eight characters (or of the shorter's
	 * length less two): a token given twice, or pasted once more. Shorter names ("app") are names, even when a
	 * password holds them.
	 * @param first one text
	 * @param second the other
	 * @return whether showing the first could show the second
	 */
	public static boolean alike(String first, String second) {
		if (first.equals(second)) {
			return true;
		}
		if (Math.min(first.length(), second.length()) < 6) {
			return false;
		}
		if (first.contains(second) || second.contains(first) || editsApart(first, second) <= 2) {
			return true;
		}
		int shared = Math.min(8, Math.min(first.length(), second.length()) - 2);
		int[] previous = new int[second.length() + 1];
		int[] current = new int[second.length() + 1];
		for (int i = 1; i <= first.length(); i++) {
			for (int j = 1; j <= second.length(); j++) {
				current[j] = (first.charAt(i - 1) == second.charAt(j - 1)) ? previous[j - 1] + 1 : 0;
				if (current[j] >= shared) {
					return true;
				}
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return false;
	}

	private static int editsApart(String first, String second) {
		if (Math.abs(first.length() - second.length()) > 2) {
			return 3;
		}
		int[] previous = new int[second.length() + 1];
		int[] current = new int[second.length() + 1];
		for (int j = 0; j <= second.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= first.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= second.length(); j++) {
				int substitution = previous[j - 1] + ((first.charAt(i - 1) == second.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[second.length()];
	}

	private static Optional<ResourceKind> kind(@Nullable String setting) {
		return (setting != null) ? ResourceKinds.forSetting(setting) : Optional.empty();
	}

	private static String decoded(String text) {
		try {
			return PercentEncoding.decode(text);
		}
		catch (IllegalArgumentException ex) {
			return text;
		}
	}

}
