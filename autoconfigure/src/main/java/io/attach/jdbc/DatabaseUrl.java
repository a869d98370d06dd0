package io.attach.jdbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.attach.core.HostAndPort;
import io.attach.core.ResourceUrl;
import io.attach.core.UrlRedactor;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * A {@code DATABASE_URL} translated to a JDBC URL, with the credentials kept out of it and finite driver timeouts in
 * it; a {@code jdbc:} URL is passed on as written, with the timeouts of PgJDBC, MariaDB and MySQL added too.
 *
 * @param jdbcUrl the JDBC URL, without user name or password
 * @param username the user name, or {@code null}
 * @param password the password, or {@code null}
 * @param passedOn the URL's parameters handed to the driver, each under the name the driver is given (the URL's name
 * for a {@code jdbc:} URL, which passes on as written)
 * @author attach
 */
record DatabaseUrl(String jdbcUrl, @Nullable String username, @Nullable String password,
		Map<String, String> passedOn) {

	// libpq's query parameters that name where to connect: read, they would send the credentials elsewhere than the
	// host the URL shows (and attach's checks and warnings look at); ignored, they would not connect where meant.
	private static final List<String> TARGET_PARAMETERS = List.of("host", "hostaddr", "port");

	private static final Pattern STRAY_PERCENT = Pattern.compile("%(?![0-9A-Fa-f]{2})");

	private static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "read-write", "primary",
			"primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby",
			"preferSecondary");

	// libpq's names of settings PgJDBC has under a name of its own, with the same values.
	private static final Map<String, String> LIBPQ_PARAMETERS = Map.of("connect_timeout", "connectTimeout",
			"application_name", "ApplicationName", "channel_binding", "channelBinding", "sslnegotiation",
			"sslNegotiation", "gssencmode", "gssEncMode", "krbsrvname", "kerberosServerName");

	/**
	 * Translates a parsed URL.
	 * @param url the parsed {@code DATABASE_URL}
	 * @param properties the timeouts to add when the URL sets none
	 * @param classLoader the class loader to find JDBC drivers in
	 * @return the JDBC form
	 * @throws io.attach.core.InvalidResourceUrlException if the URL cannot be used with JDBC
	 */
	static DatabaseUrl of(ResourceUrl url, AttachJdbcProperties properties, @Nullable ClassLoader classLoader) {
		DatabaseUrl database;
		if (url.scheme().equals("jdbc")) {
			database = jdbc(url, properties);
		}
		else if (url.scheme().equals("h2")) {
			database = h2(url, classLoader);
		}
		else if (DatabaseSchemes.isPostgres(url.scheme())) {
			database = network(url, "postgresql", properties, classLoader);
		}
		else if (DatabaseSchemes.isMysqlOrMariadb(url.scheme())) {
			boolean mysql = !DatabaseSchemes.MARIADB.contains(url.scheme()) && isPresent(Driver.MYSQL, classLoader);
			database = network(url, mysql ? "mysql" : "mariadb", properties, classLoader);
		}
		else {
			throw url.invalid("has the unsupported scheme '" + url.scheme() + "'",
					"Use one of " + String.join(", ", DatabaseSchemes.all()) + ".");
		}
		DriverParameters.requireAccepted(url, database.jdbcUrl(), classLoader);
		return database;
	}

	private static DatabaseUrl h2(ResourceUrl url, @Nullable ClassLoader classLoader) {
		if (!url.opaque()) {
			throw url.invalid("is not an H2 URL", "Use h2:mem:name or h2:file:./path.");
		}
		requireDriver(url, Driver.H2, classLoader);
		return new DatabaseUrl("jdbc:h2:" + url.path(), null, null, Map.of());
	}

	private static DatabaseUrl network(ResourceUrl url, String subprotocol, AttachJdbcProperties properties,
			@Nullable ClassLoader classLoader) {
		String queryHost = url.parameter("host");
		if (!url.opaque() && url.hosts().isEmpty() && queryHost != null && !isSocketPath(queryHost)) {
			throw url.invalid("names its host only in the query (host=…)", "Give the host and port after '//', such"
					+ " as " + url.scheme() + "://user@db.example.com:5432/database.");
		}
		if (url.opaque() || url.hosts().isEmpty() || url.hosts().stream().anyMatch(HostAndPort::isSocketPath)
				|| isSocketPath(url.parameter("host")) || url.parameter("socket") != null) {
			throw url.invalid("does not name a network host; a unix socket cannot be reached through JDBC",
					"The JDBC driver needs host:port, such as " + url.scheme() + "://user@db.example.com:5432/database.");
		}
		if (url.fragment() != null) {
			throw url.invalid("has a fragment ('#…')", "Percent-encode '#' in the password as %23.");
		}
		for (String name : TARGET_PARAMETERS) {
			if (url.parameter(name) != null) {
				throw url.invalid("names where to connect in its query too (" + name + "=…)",
						"Give the host and port once, after '//', such as " + url.scheme()
								+ "://user@db.example.com:5432/database.");
			}
		}
		if (url.path().contains("%00")) {
			throw url.invalid("has '%00' (NUL) in its database name", "Remove it.");
		}
		if (STRAY_PERCENT.matcher(url.path()).find()) {
			throw url.invalid("has a '%' in its database name that starts no percent-encoding", "Write '%' as %25.");
		}
		requireDriver(url, Driver.of(subprotocol), classLoader);
		boolean postgres = subprotocol.equals("postgresql");
		DriverTimeouts timeouts = DriverTimeouts.forSubprotocol(subprotocol).orElseThrow();
		DatabaseTls tls = properties.isVerifyPeer() ? DatabaseTls.of(url, subprotocol)
				: DatabaseTls.withoutVerification(url, subprotocol);
		List<String> parameters = new ArrayList<>();
		Map<String, String> passedOn = new LinkedHashMap<>();
		for (ResourceUrl.Parameter parameter : url.parameters()) {
			String name = parameter.name();
			if (name.equals("user") || name.equals("password") || tls.consumed().contains(name)
					|| url.mayBePassword(name)) {
				continue;
			}
			if (postgres && name.equals("target_session_attrs")) {
				parameters.add("targetServerType=" + targetServerType(url, parameter.decodedValue()));
				continue;
			}
			String driverName = postgres ? LIBPQ_PARAMETERS.getOrDefault(name, name) : name;
			timeouts.check(url, name, driverName, parameter.decodedValue());
			parameters.add(driverName + "=" + parameter.rawValue());
			passedOn.put(name, driverName);
		}
		parameters.addAll(tls.parameters());
		timeouts.addTimeouts(parameters, properties.getConnectTimeout(), properties.getSocketTimeout(),
				url.hosts().size());
		// The driver's default port is PostgreSQL's or MySQL's: CockroachDB's is spelled out.
		int defaultPort = DatabaseSchemes.defaultPort(url.scheme());
		String hosts = url.hosts()
			.stream()
			.map((host) -> (defaultPort > 0) ? new HostAndPort(host.host(), host.portOr(defaultPort)) : host)
			.map(HostAndPort::toString)
			.collect(Collectors.joining(","));
		String jdbcUrl = "jdbc:" + subprotocol + "://" + hosts + "/" + url.path() + "?" + String.join("&", parameters);
		String username = (url.username() != null) ? url.username() : url.parameter("user");
		String password = (url.password() != null) ? url.password() : url.parameter("password");
		return new DatabaseUrl(jdbcUrl, username, password, passedOn);
	}

	// A jdbc: URL is the driver's own, passed on as written, but it gets attach's timeouts unless it sets them.
	private static DatabaseUrl jdbc(ResourceUrl url, AttachJdbcProperties properties) {
		String rest = url.path();
		int colon = rest.indexOf(':');
		Optional<DriverTimeouts> driver = (colon > 0) ? DriverTimeouts.forSubprotocol(rest.substring(0, colon))
				: Optional.empty();
		if (driver.isEmpty()) {
			return new DatabaseUrl(url.value(), null, null, Map.of());
		}
		int query = rest.indexOf('?');
		List<String> parameters = new ArrayList<>();
		Map<String, String> passedOn = new LinkedHashMap<>();
		if (query >= 0) {
			for (String parameter : rest.substring(query + 1).split("&")) {
				if (!parameter.isEmpty()) {
					int equals = parameter.indexOf('=');
					String name = (equals >= 0) ? parameter.substring(0, equals) : parameter;
					driver.get().check(url, name, name, (equals >= 0) ? parameter.substring(equals + 1) : "");
					parameters.add(parameter);
					passedOn.put(name, name);
				}
			}
		}
		String base = (query >= 0) ? rest.substring(0, query) : rest;
		driver.get()
			.addTimeouts(parameters, properties.getConnectTimeout(), properties.getSocketTimeout(), jdbcHosts(base));
		return new DatabaseUrl("jdbc:" + base + "?" + String.join("&", parameters), null, null, passedOn);
	}

	// The hosts of a jdbc: URL's authority, such as //h1:5432,h2:5432/db.
	private static int jdbcHosts(String base) {
		int start = base.indexOf("//");
		if (start < 0) {
			return 1;
		}
		int end = base.indexOf('/', start + 2);
		String authority = (end >= 0) ? base.substring(start + 2, end) : base.substring(start + 2);
		return authority.split(",", -1).length;
	}

	private static String targetServerType(ResourceUrl url, String value) {
		String type = TARGET_SERVER_TYPES.get(value);
		if (type == null) {
			throw url.invalid("has a target_session_attrs value that PgJDBC does not support",
					"Use one of " + TARGET_SERVER_TYPES.keySet() + ".");
		}
		return type;
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
		boolean userIsPassword = this.username != null && this.password != null
				&& UrlRedactor.alike(this.username, this.password);
		return UrlRedactor.redact(this.jdbcUrl) + " as " + (userIsPassword ? UrlRedactor.MASK : this.username);
	}

	/**
	 * The JDBC drivers attach translates URLs for, by subprotocol.
	 */
	enum Driver {

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

		/**
		 * Returns the class name of the driver for a JDBC subprotocol attach knows.
		 * @param subprotocol the subprotocol, such as {@code postgresql}
		 * @return the driver's class name, or {@code null} for another subprotocol
		 */
		static @Nullable String className(String subprotocol) {
			for (Driver driver : values()) {
				if (driver.name().equalsIgnoreCase(subprotocol)) {
					return driver.className;
				}
			}
			return null;
		}

	}

}
