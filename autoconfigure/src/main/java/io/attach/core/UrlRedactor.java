package io.attach.core;

import java.util.regex.Pattern;

/**
 * Removes passwords from URL text that may not even parse, erring towards hiding too much.
 *
 * @author attach
 */
public final class UrlRedactor {

	/**
	 * What stands in for a removed secret.
	 */
	public static final String MASK = "****";

	private static final Pattern SECRET_PARAMETER = Pattern
		.compile("(?i)((?:^|[?&;:])[^=&;?:/]*(?:password|secret|token)[^=&;?]*)=[^&;#]*");

	private static final Pattern SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.\\-]*(:[a-zA-Z][a-zA-Z0-9+.\\-]*)*");

	private UrlRedactor() {
	}

	/**
	 * Redacts the password in the user info and in any secret-looking query parameter. Everything between the
	 * first {@code :} after the scheme and the last {@code @} is hidden, so a password holding raw {@code /},
	 * {@code ?}, {@code #} or {@code @} characters is hidden too; so is a lone user-info token for kinds that read
	 * it as a password ({@code redis://s3cret@host}).
	 * @param value the URL text, valid or not
	 * @return the text with secrets replaced by {@value #MASK}
	 */
	public static String redact(String value) {
		return SECRET_PARAMETER.matcher(redactUserInfo(value)).replaceAll("$1=" + MASK);
	}

	// "app:pw@db/x", "postgres:/app:pw@db" or "jdbc:oracle:thin:scott/pw@db": no "//" marks the user info, so
	// everything from the first ':' to the last '@' may be secret.
	private static String redactWithoutAuthority(String value) {
		int colon = value.indexOf(':');
		int at = value.lastIndexOf('@');
		return (colon >= 0 && at > colon) ? value.substring(0, colon + 1) + MASK + value.substring(at) : value;
	}

	static boolean lonePasswordToken(String scheme) {
		return ResourceKind.forScheme(scheme).map(ResourceKind::lonePasswordToken).orElse(false);
	}

	/**
	 * Tells whether a value looks like a URL that carries credentials.
	 * @param value any text
	 * @return whether redacting would change it
	 */
	public static boolean hasSecrets(String value) {
		return !redact(value).equals(value);
	}

	private static String redactUserInfo(String value) {
		int separator = value.indexOf("://");
		if (separator < 0 || !SCHEME.matcher(value.substring(0, separator)).matches()) {
			// No "//" right after the scheme (or a sub-protocol such as jdbc:mysql): "://" later on is not ours.
			return redactWithoutAuthority(value);
		}
		int start = separator + 3;
		int at = value.lastIndexOf('@');
		if (at < start) {
			return value;
		}
		String userInfo = value.substring(start, at);
		int colon = userInfo.indexOf(':');
		if (colon < 0) {
			return lonePasswordToken(value.substring(0, separator)) ? value.substring(0, start) + MASK
					+ value.substring(at) : value;
		}
		return value.substring(0, start) + userInfo.substring(0, colon + 1) + MASK + value.substring(at);
	}

}
