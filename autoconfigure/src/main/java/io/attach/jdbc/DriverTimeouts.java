package io.attach.jdbc;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.attach.core.ResourceUrl;
import io.attach.core.Timeouts;

/**
 * The connect and socket timeouts of a JDBC driver, as its URL parameters take them; each driver reads {@code 0} as
 * waiting forever.
 *
 * @author attach
 */
enum DriverTimeouts {

	/**
	 * PgJDBC: whole seconds.
	 */
	POSTGRESQL("seconds", ChronoUnit.SECONDS, true) {

		@Override
		long value(Duration timeout) {
			// Under a second would round down to 0, which PgJDBC reads as no timeout; PgJDBC multiplies by 1000 into
			// an int, so the seconds stay below Integer.MAX_VALUE / 1000.
			return Math.max(1, Timeouts.millis(timeout) / 1000);
		}

	},

	/**
	 * MariaDB Connector/J and MySQL Connector/J: milliseconds.
	 */
	MILLISECONDS("milliseconds", ChronoUnit.MILLIS, false) {

		@Override
		long value(Duration timeout) {
			return Timeouts.millis(timeout);
		}

	};

	static final String CONNECT_TIMEOUT = "connectTimeout";

	static final String SOCKET_TIMEOUT = "socketTimeout";

	static final String LOGIN_TIMEOUT = "loginTimeout";

	private final String unit;

	private final ChronoUnit chronoUnit;

	private final boolean loginTimeout;

	DriverTimeouts(String unit, ChronoUnit chronoUnit, boolean loginTimeout) {
		this.unit = unit;
		this.chronoUnit = chronoUnit;
		this.loginTimeout = loginTimeout;
	}

	abstract long value(Duration timeout);

	/**
	 * Finds the timeouts of the driver behind a JDBC sub-protocol.
	 * @param subprotocol the sub-protocol, such as {@code postgresql} or {@code mysql:loadbalance}
	 * @return the driver's timeouts, or empty for a driver attach does not know
	 */
	static Optional<DriverTimeouts> forSubprotocol(String subprotocol) {
		String name = subprotocol.toLowerCase();
		if (name.startsWith("postgresql")) {
			return Optional.of(POSTGRESQL);
		}
		if (name.startsWith("mariadb") || name.startsWith("mysql")) {
			return Optional.of(MILLISECONDS);
		}
		return Optional.empty();
	}

	/**
	 * Refuses a timeout parameter that is not a positive whole number; other parameters pass.
	 * @param url the URL, named in the error
	 * @param name the parameter's name as written, such as libpq's {@code connect_timeout}
	 * @param driverName the name the driver gets; compared ignoring case, in case the driver does
	 * @param rawValue the parameter's value as written
	 */
	void check(ResourceUrl url, String name, String driverName, String rawValue) {
		if (!driverName.equalsIgnoreCase(CONNECT_TIMEOUT) && !driverName.equalsIgnoreCase(SOCKET_TIMEOUT)
				&& !(this.loginTimeout && driverName.equalsIgnoreCase(LOGIN_TIMEOUT))) {
			return;
		}
		long value = parse(rawValue);
		String fallback = driverName.equalsIgnoreCase(SOCKET_TIMEOUT) ? "attach.jdbc.socket-timeout"
				: "attach.jdbc.connect-timeout";
		if (value < 0) {
			throw url.invalid("has " + name + "=an invalid value, which is not a positive whole number of " + this.unit,
					"Give " + name + " a positive number of " + this.unit + ", or remove it to use " + fallback + ".");
		}
		Timeouts.requirePositive(Duration.of(value, this.chronoUnit), "the driver",
				name + " a positive number of " + this.unit, fallback,
				(problem, action) -> url.invalid("has " + name + "=" + rawValue + ", " + problem, action));
	}

	/**
	 * Adds a timeout in the driver's unit unless a parameter of the driver's own name sets it.
	 * @param parameters the URL's parameters as {@code name=value}, to add to
	 * @param name the driver's parameter name
	 * @param timeout the timeout to add
	 */
	private void addUnlessSet(List<String> parameters, String name, Duration timeout) {
		if (parameters.stream().noneMatch((parameter) -> parameter.startsWith(name + "="))) {
			parameters.add(name + "=" + value(timeout));
		}
	}

	/**
	 * Adds the connect and socket timeouts unless set, and for a driver whose connect timeout bounds only the TCP
	 * connection (PgJDBC), a login timeout of the same length: a server that accepts the connection and never answers
	 * would otherwise hold the first connection, at startup too, for the whole socket timeout.
	 * @param parameters the URL's parameters as {@code name=value}, to add to
	 * @param connectTimeout the time to establish a connection
	 * @param socketTimeout the time a socket read may block
	 * @param hosts the number of hosts the URL names, each tried in turn
	 */
	void addTimeouts(List<String> parameters, Duration connectTimeout, Duration socketTimeout, int hosts) {
		addUnlessSet(parameters, CONNECT_TIMEOUT, connectTimeout);
		addUnlessSet(parameters, SOCKET_TIMEOUT, socketTimeout);
		if (this.loginTimeout && parameters.stream().noneMatch((parameter) -> parameter.startsWith(LOGIN_TIMEOUT + "="))) {
			// The connect timeout as the URL gives it, once per host: libpq's connect_timeout bounds each host's login,
			// and PgJDBC's loginTimeout the whole attempt, which tries the hosts one after the other.
			parameters.stream()
				.filter((parameter) -> parameter.startsWith(CONNECT_TIMEOUT + "="))
				.findFirst()
				.map((parameter) -> parse(parameter.substring(CONNECT_TIMEOUT.length() + 1)))
				.ifPresent((seconds) -> parameters.add(LOGIN_TIMEOUT + "="
						+ Math.min(seconds * Math.max(1, hosts), Integer.MAX_VALUE / 1000)));
		}
	}

	private static long parse(String rawValue) {
		if (rawValue.isEmpty() || rawValue.length() > 9 || !rawValue.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Long.parseLong(rawValue);
	}

}
