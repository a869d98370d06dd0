package io.attach.jdbc;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import io.attach.kind.UrlConformanceTable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads real {@code DATABASE_URL}s, copied from the test suites and documentation of the libraries and platforms that
 * write them ({@code database-urls.tsv}, source named per row), and checks that each means to attach what it means
 * to its source, as the real JDBC driver parses the JDBC URL attach makes of it, or differs as the row says and why,
 * or is refused with the row's error.
 *
 * @author attach
 */
class DatabaseUrlConformanceTests {

	static Stream<UrlConformanceTable.Row> rows() {
		return UrlConformanceTable.read("/io/attach/jdbc/database-urls.tsv").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void whenARealUrlIsReadThenItMeansWhatTheRowSays(UrlConformanceTable.Row row) {
		row.check(reading(row.url()));
	}

	/**
	 * Reads a URL as an application would, from {@code DATABASE_URL}, into the row's columns: host, port, database,
	 * user, password and TLS mode as the JDBC driver parses the JDBC URL attach makes of it.
	 * @param value the URL
	 * @return the reading
	 */
	static UrlConformanceTable.Reading reading(String value) {
		ResourceUrl url;
		DatabaseUrl database;
		try {
			url = UrlConformanceTable.attach("DATABASE_URL", value);
			database = DatabaseUrl.of(url, new AttachJdbcProperties(), null);
		}
		catch (InvalidResourceUrlException ex) {
			return UrlConformanceTable.Reading.refused(ex.getProblem());
		}
		String jdbcUrl = database.jdbcUrl();
		try {
			return driverReading(jdbcUrl, database);
		}
		catch (Exception ex) {
			throw new IllegalStateException("The driver does not parse " + jdbcUrl, ex);
		}
	}

	private static UrlConformanceTable.Reading driverReading(String jdbcUrl, DatabaseUrl database) throws Exception {
		if (jdbcUrl.startsWith("jdbc:postgresql:")) {
			Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, new Properties());
			assertThat(parsed).as("PgJDBC parses %s", jdbcUrl).isNotNull();
			String mode = parsed.getProperty("sslmode");
			String tls = (mode != null) ? mode : "true".equals(parsed.getProperty("ssl")) ? "verify-full" : "none";
			return new UrlConformanceTable.Reading(parsed.getProperty("PGHOST"), parsed.getProperty("PGPORT"),
					parsed.getProperty("PGDBNAME"), or(database.username(), parsed.getProperty("user")),
					or(database.password(), parsed.getProperty("password")), tls);
		}
		if (jdbcUrl.startsWith("jdbc:mariadb:")) {
			org.mariadb.jdbc.Configuration parsed = org.mariadb.jdbc.Configuration.parse(jdbcUrl);
			String tls = !jdbcUrl.contains("sslMode=") ? "none" : switch (parsed.sslMode()) {
				case DISABLE -> "disable";
				case TRUST -> "require";
				case VERIFY_CA -> "verify-ca";
				case VERIFY_FULL -> "verify-full";
			};
			return new UrlConformanceTable.Reading(
					parsed.addresses().stream().map((address) -> address.host).collect(Collectors.joining(",")),
					parsed.addresses().stream().map((address) -> String.valueOf(address.port))
						.collect(Collectors.joining(",")),
					parsed.database(), or(database.username(), parsed.user()), or(database.password(), parsed.password()),
					tls);
		}
		if (jdbcUrl.startsWith("jdbc:mysql:")) {
			com.mysql.cj.conf.ConnectionUrl parsed = com.mysql.cj.conf.ConnectionUrl.getConnectionUrlInstance(jdbcUrl,
					new Properties());
			String mode = parsed.getOriginalProperties().get("sslMode");
			String tls = (mode != null) ? mode.toLowerCase(Locale.ROOT).replace('_', '-')
				.replace("verify-identity", "verify-full")
				.replace("required", "require")
				.replace("disabled", "disable")
				.replace("preferred", "prefer") : "none";
			List<com.mysql.cj.conf.HostInfo> hosts = parsed.getHostsList();
			return new UrlConformanceTable.Reading(
					hosts.stream().map(com.mysql.cj.conf.HostInfo::getHost).collect(Collectors.joining(",")),
					hosts.stream().map((host) -> String.valueOf(host.getPort())).collect(Collectors.joining(",")),
					parsed.getDatabase(), or(database.username(), hosts.get(0).getUser()),
					or(database.password(), hosts.get(0).getPassword()), tls);
		}
		return new UrlConformanceTable.Reading("", "", jdbcUrl, or(database.username(), ""),
				or(database.password(), ""), "none");
	}

	private static @Nullable String or(@Nullable String first, @Nullable String second) {
		return (first != null) ? first : second;
	}

}
