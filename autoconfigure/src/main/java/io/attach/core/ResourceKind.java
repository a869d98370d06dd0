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
	JDBC("jdbc", ReadinessRole.REQUIRED, "postgres", "postgresql", "mysql", "mariadb", "h2", "jdbc");

	private final String id;

	private final ReadinessRole defaultRole;

	private final List<String> schemes;

	ResourceKind(String id, ReadinessRole defaultRole, String... schemes) {
		this.id = id;
		this.defaultRole = defaultRole;
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
	 * Finds the kind that accepts a URL scheme.
	 * @param scheme the scheme, in any case
	 * @return the kind, or empty when no kind accepts the scheme
	 */
	public static Optional<ResourceKind> forScheme(String scheme) {
		return Arrays.stream(values()).filter((kind) -> kind.schemes.contains(scheme.toLowerCase())).findFirst();
	}

}
