package io.attach.core;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The resources attach looks for by their conventional environment variables.
 *
 * @author attach
 */
public enum WellKnownResource {

	/**
	 * The application's primary database, from {@code DATABASE_URL}.
	 */
	DATABASE("database", ResourceKind.JDBC, "DATABASE_URL"),

	/**
	 * The cache, from {@code REDIS_URL} or {@code CACHE_URL}.
	 */
	CACHE("cache", ResourceKind.REDIS, "REDIS_URL", "CACHE_URL"),

	/**
	 * The mail server, from {@code SMTP_URL}.
	 */
	MAIL("mail", ResourceKind.SMTP, "SMTP_URL");

	private final String resourceName;

	private final ResourceKind kind;

	private final List<String> variables;

	WellKnownResource(String resourceName, ResourceKind kind, String... variables) {
		this.resourceName = resourceName;
		this.kind = kind;
		this.variables = List.of(variables);
	}

	/**
	 * Returns the resource name, the key under {@code attach.resources}.
	 * @return the resource name
	 */
	public String resourceName() {
		return this.resourceName;
	}

	/**
	 * Returns the kind of service this resource is.
	 * @return the kind
	 */
	public ResourceKind kind() {
		return this.kind;
	}

	/**
	 * Returns the environment variables read for the URL, in order of preference.
	 * @return the variable names
	 */
	public List<String> variables() {
		return this.variables;
	}

	/**
	 * Tells whether a setting holds this resource's URL: one of its variables or
	 * {@code attach.resources.<name>.url}.
	 * @param setting the variable or property name
	 * @return whether the setting is this resource's
	 */
	public boolean isSetting(String setting) {
		return this.variables.contains(setting) || ("attach.resources." + this.resourceName + ".url").equals(setting);
	}

	/**
	 * Finds the well-known resource whose URL a setting holds.
	 * @param setting the variable or property name, such as {@code REDIS_URL}
	 * @return the resource, or empty for a setting attach knows nothing about
	 */
	public static Optional<WellKnownResource> forSetting(String setting) {
		return Arrays.stream(values()).filter((resource) -> resource.isSetting(setting)).findFirst();
	}

	/**
	 * Finds the well-known resource with the given name.
	 * @param resourceName the resource name
	 * @return the resource, or empty for a name of the user's own
	 */
	public static Optional<WellKnownResource> named(String resourceName) {
		return Arrays.stream(values()).filter((resource) -> resource.resourceName.equals(resourceName)).findFirst();
	}

}
