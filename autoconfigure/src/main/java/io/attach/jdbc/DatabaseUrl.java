package io.attach.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.attach.core.HostAndPort;
import io.attach.core.ResourceUrl;
import io.attach.core.UrlRedactor;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * A {@code DATABASE_URL} translated to a JDBC URL, with the credentials kept out of it.
 *
 * @param jdbcUrl the JDBC URL, without user name or password
 * @param username the user name, or {@code null}
 * @param password the password, or {@code null}
 * @author attach
 */
record DatabaseUrl(String jdbcUrl, @Nullable String username, @Nullable String password) {

	private static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "read-write", "primary",
			"primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby",
			"preferSecondary");

	private static final Map<String, String> LIBPQ_PARAMETERS = Map.of("connect_timeout", "connectTimeout",
			"application_name", "ApplicationName");

	/**
	 * Translates a parsed URL.
	 * @param url the parsed {@code DATABASE_URL}
	 * @param properties the timeouts to add when the URL sets none
	 * @param classLoader the class loader to find JDBC drivers in
	 * @return the JDBC form
	 * @throws io.attach.core.InvalidResourceUrlException if the URL cannot be used with JDBC
	 */
	static DatabaseUrl of(ResourceUrl url, AttachJdbcProperties properties, @Nullable ClassLoader classLoader) {
		return switch (url.scheme()) {
			case "jdbc" -> new DatabaseUrl(url.value(), null, null);
			case "h2" -> h2(url, classLoader);
			case "postgres", "postgresql" -> network(url, "postgresql", properties, classLoader);
			case "mariadb" -> network(url, "mariadb", properties, classLoader);
			case "mysql" -> network(url, isPresent(Driver.MYSQL, classLoader) ? "mysql" : "mariadb", properties,
					classLoader);
			default -> throw url.invalid("has the unsupported scheme '" + url.scheme() + "'",
					"Use postgres, postgresql, mysql, mariadb, h2 or a jdbc: URL.");
		};
	}

	private static DatabaseUrl h2(ResourceUrl url, @Nullable ClassLoader classLoader) {
		if (!url.opaque()) {
			throw url.invalid("is not an H2 URL", "Use h2:mem:name or h2:file:./path.");
		}
		requireDriver(url, Driver.H2, classLoader);
		return new DatabaseUrl("jdbc:h2:" + url.path(), null, null);
	}

	private static DatabaseUrl network(ResourceUrl url, String subprotocol, AttachJdbcProperties properties,
			@Nullable ClassLoader classLoader) {
		if (url.opaque() || url.hosts().isEmpty() || url.hosts().stream().anyMatch(HostAndPort::isSocketPath)
				|| isSocketPath(url.parameter("host"))) {
			throw url.invalid("does not name a network host; a unix socket cannot be reached through JDBC",
					"The JDBC driver needs host:port, such as " + url.scheme() + "://user@db.example.com:5432/database.");
		}
		if (url.fragment() != null) {
			throw url.invalid("has a fragment ('#…')", "Percent-encode '#' in the password as %23.");
		}
		requireDriver(url, Driver.of(subprotocol), classLoader);
		boolean postgres = subprotocol.equals("postgresql");
		List<String> parameters = new ArrayList<>();
		for (ResourceUrl.Parameter parameter : url.parameters()) {
			String name = parameter.name();
			if (name.equals("user") || name.equals("password") || name.equals("host")) {
				continue;
			}
			if (postgres && name.equals("target_session_attrs")) {
				parameters.add("targetServerType=" + targetServerType(url, parameter.decodedValue()));
			}
			else {
				parameters.add((postgres ? LIBPQ_PARAMETERS.getOrDefault(name, name) : name) + "="
						+ parameter.rawValue());
			}
		}
		// PgJDBC counts these timeouts in seconds, MariaDB and MySQL Connector/J in milliseconds.
		long connectTimeout = postgres ? Math.max(1, properties.getConnectTimeout().toSeconds())
				: properties.getConnectTimeout().toMillis();
		long socketTimeout = postgres ? Math.max(1, properties.getSocketTimeout().toSeconds())
				: properties.getSocketTimeout().toMillis();
		addUnlessSet(parameters, "connectTimeout", connectTimeout);
		addUnlessSet(parameters, "socketTimeout", socketTimeout);
		String hosts = url.hosts().stream().map(HostAndPort::toString).collect(Collectors.joining(","));
		String jdbcUrl = "jdbc:" + subprotocol + "://" + hosts + "/" + url.path() + "?" + String.join("&", parameters);
		String username = (url.username() != null) ? url.username() : url.parameter("user");
		String password = (url.password() != null) ? url.password() : url.parameter("password");
		return new DatabaseUrl(jdbcUrl, username, password);
	}

	private static String targetServerType(ResourceUrl url, String value) {
		String type = TARGET_SERVER_TYPES.get(value);
		if (type == null) {
			throw url.invalid("has a target_session_attrs value that PgJDBC does not support",
					"Use one of " + TARGET_SERVER_TYPES.keySet() + ".");
		}
		return type;
	}

	private static void addUnlessSet(List<String> parameters, String name, long value) {
		if (parameters.stream().noneMatch((parameter) -> parameter.startsWith(name + "="))) {
			parameters.add(name + "=" + value);
		}
	}

	private static boolean isSocketPath(@Nullable String host) {
		return host != null && host.startsWith("/");
	}

	private static void requireDriver(ResourceUrl url, Driver driver, @Nullable ClassLoader classLoader) {
		if (!isPresent(driver, classLoader)) {
			throw url.invalid("needs the " + driver.description + " JDBC driver, which is not on the classpath",
					"Add the dependency " + driver.coordinates + " to the application.");
		}
	}

	private static boolean isPresent(Driver driver, @Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(driver.className, classLoader);
	}

	@Override
	public String toString() {
		return UrlRedactor.redact(this.jdbcUrl) + " as " + this.username;
	}

	private enum Driver {

		POSTGRESQL("PostgreSQL", "org.postgresql.Driver", "org.postgresql:postgresql"),

		MARIADB("MariaDB", "org.mariadb.jdbc.Driver", "org.mariadb.jdbc:mariadb-java-client"),

		MYSQL("MySQL", "com.mysql.cj.jdbc.Driver", "com.mysql:mysql-connector-j"),

		H2("H2", "org.h2.Driver", "com.h2database:h2");

		private final String description;

		private final String className;

		private final String coordinates;

		Driver(String description, String className, String coordinates) {
			this.description = description;
			this.className = className;
			this.coordinates = coordinates;
		}

		static Driver of(String subprotocol) {
			return valueOf(subprotocol.toUpperCase());
		}

	}

}
