package io.attach.core;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of backing service attach knows, each with the URL schemes that select it.
 *
 * @author attach
 */
public enum ResourceKind {

	/**
	 * A relational database reached through JDBC.
	 */
	JDBC("jdbc", ReadinessRole.REQUIRED, false, "postgres", "postgresql", "mysql", "mariadb", "h2", "jdbc"),

	/**
	 * A Redis server, used as a cache. A lone user-info token is its password, as Lettuce reads it.
	 */
	REDIS("redis", ReadinessRole.DEGRADABLE, true, "redis", "rediss", "redis-sentinel"),

	/**
	 * A mail server reached over SMTP, with implicit TLS for {@code smtps}. A lone user-info token is refused, and
	 * masked in case it was an API key.
	 */
	SMTP("smtp", ReadinessRole.DEGRADABLE, true, "smtp", "smtps");

	private final String id;

	private final ReadinessRole defaultRole;

	private final boolean lonePasswordToken;

	private final List<String> schemes;

	ResourceKind(String id, ReadinessRole defaultRole, boolean lonePasswordToken, String... schemes) {
		this.id = id;
		this.defaultRole = defaultRole;
		this.lonePasswordToken = lonePasswordToken;
		this.schemes = List.of(schemes);
	}

	/**
	 * Returns the short name shown in logs and endpoints.
	 * @return the kind's id, such as {@code jdbc}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Returns the readiness role a resource of this kind gets unless configured otherwise.
	 * @return the default role
	 */
	public ReadinessRole defaultRole() {
		return this.defaultRole;
	}

	/**
	 * Returns the URL schemes this kind accepts.
	 * @return the schemes, lower case
	 */
	public List<String> schemes() {
		return this.schemes;
	}

	/**
	 * Tells whether user info without a {@code :} is a password ({@code redis://s3cret@host}) rather than a user
	 * name ({@code postgres://app@host}). Redaction applies it by the setting a URL came from, never by the URL's
	 * scheme, and treats a lone token as secret for any setting that is not a well-known resource's.
	 * @return whether a lone user-info token is secret
	 */
	public boolean lonePasswordToken() {
		return this.lonePasswordToken;
	}

	/**
	 * Returns every scheme attach accepts, for error messages.
	 * @return the schemes of all kinds
	 */
	public static List<String> allSchemes() {
		return Arrays.stream(values()).flatMap((kind) -> kind.schemes.stream()).toList();
	}

	/**
	 * Finds the kind that accepts a URL scheme.
	 * @param scheme the scheme, in any case
	 * @return the kind, or empty when no kind accepts the scheme
	 */
	public static Optional<ResourceKind> forScheme(String scheme) {
		return Arrays.stream(values()).filter((kind) -> kind.schemes.contains(scheme.toLowerCase())).findFirst();
	}

}
