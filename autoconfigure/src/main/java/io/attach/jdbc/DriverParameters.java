package io.attach.jdbc;

import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * Finds the parameters of a {@code DATABASE_URL} that neither attach nor the JDBC driver reads, from the driver's own
 * list of its properties ({@link Driver#getPropertyInfo}): a driver ignores a name it does not know, so a misspelt or
 * foreign setting ({@code keepalives}, {@code charset}) would otherwise pass without a word.
 *
 * @author attach
 */
final class DriverParameters {

	// Names MariaDB Connector/J reads (for MySQL Connector/J compatibility) without listing them; it lowercases names.
	private static final Set<String> MARIADB_UNLISTED = Set.of("usessl", "trustservercertificate",
			"disablesslhostnameverification", "clientcertificatekeystoreurl", "clientcertificatekeystorepassword",
			"clientcertificatekeystoretype", "trustcertificatekeystoreurl", "trustcertificatekeystorepassword",
			"trustcertificatekeystoretype", "nullcatalogmeanscurrent", "databaseterm");

	private DriverParameters() {
	}

	/**
	 * Returns the startup warning for the URL's parameters that its driver does not know, if any.
	 * @param url the URL as set
	 * @param database its JDBC form
	 * @param classLoader the class loader to find the driver in
	 * @return the warning, naming the setting, the parameters as the URL spells them and the driver, but no value
	 */
	static Optional<String> unreadWarning(ResourceUrl url, DatabaseUrl database, @Nullable ClassLoader classLoader) {
		if (database.passedOn().isEmpty()) {
			return Optional.empty();
		}
		String subprotocol = subprotocol(database.jdbcUrl());
		Driver driver = driver(DatabaseUrl.Driver.className(subprotocol), classLoader);
		Set<String> known = (driver != null) ? known(driver, database.jdbcUrl()) : Set.of();
		if (driver == null || known.isEmpty()) {
			// A driver that lists nothing, or none: what it reads cannot be told.
			return Optional.empty();
		}
		boolean mariadb = subprotocol.equals("mariadb");
		UnaryOperator<String> normal = mariadb ? (name) -> name.toLowerCase(Locale.ROOT) : UnaryOperator.identity();
		Set<String> read = new HashSet<>();
		known.forEach((name) -> read.add(normal.apply(name)));
		if (mariadb) {
			read.addAll(MARIADB_UNLISTED);
		}
		List<String> unread = database.passedOn()
			.entrySet()
			.stream()
			.filter((parameter) -> !read.contains(normal.apply(parameter.getValue())))
			.map(Map.Entry::getKey)
			.toList();
		if (unread.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(url.setting() + " has the parameter(s) " + unread + ", which neither attach nor the JDBC"
				+ " driver (" + driver.getClass().getName() + ") reads: they are ignored. Remove them, or use the"
				+ " driver's name for the setting (its documentation lists them).");
	}

	/**
	 * Refuses a JDBC URL that its driver does not accept, as its driver would at the first connect, but at startup
	 * and naming the setting: a port out of range, a stray {@code %} or space in the database name, a missing
	 * service definition.
	 * @param url the URL as set
	 * @param jdbcUrl its JDBC form
	 * @param classLoader the class loader to find the driver in
	 * @throws io.attach.core.InvalidResourceUrlException if the driver does not accept it
	 */
	static void requireAccepted(ResourceUrl url, String jdbcUrl, @Nullable ClassLoader classLoader) {
		Driver driver = driver(DatabaseUrl.Driver.className(subprotocol(jdbcUrl)), classLoader);
		if (driver == null) {
			return;
		}
		boolean accepted;
		try {
			accepted = driver.acceptsURL(jdbcUrl);
		}
		catch (SQLException | RuntimeException ex) {
			accepted = false;
		}
		if (!accepted) {
			throw url.invalid("is not a URL the JDBC driver (" + driver.getClass().getName() + ") accepts",
					"Check that its port is from 1 to 65535 and percent-encode spaces, '#' and '%' in the database"
							+ " name (%20, %23, %25).");
		}
	}

	private static String subprotocol(String jdbcUrl) {
		int end = jdbcUrl.indexOf(':', "jdbc:".length());
		return (end > 0) ? jdbcUrl.substring("jdbc:".length(), end) : "";
	}

	private static @Nullable Driver driver(@Nullable String className, @Nullable ClassLoader classLoader) {
		if (className == null || !ClassUtils.isPresent(className, classLoader)) {
			return null;
		}
		try {
			return (Driver) ClassUtils.forName(className, classLoader).getDeclaredConstructor().newInstance();
		}
		catch (ReflectiveOperationException | LinkageError | ClassCastException ex) {
			return null;
		}
	}

	private static Set<String> known(Driver driver, String jdbcUrl) {
		try {
			DriverPropertyInfo[] properties = driver.getPropertyInfo(jdbcUrl, new Properties());
			Set<String> names = new HashSet<>();
			for (DriverPropertyInfo property : (properties != null) ? properties : new DriverPropertyInfo[0]) {
				names.add(property.name);
			}
			return names;
		}
		catch (SQLException | RuntimeException ex) {
			// A URL the driver cannot parse fails at the first connect, with the driver's own message.
			return Set.of();
		}
	}

}
