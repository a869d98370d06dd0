package io.attach.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.attach.core.ResourceUrl;

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
	POSTGRESQL("seconds") {

		@Override
		long value(Duration timeout) {
			// Under a second would round down to 0, which PgJDBC reads as no timeout.
			return Math.max(1, timeout.toSeconds());
		}

	},

	/**
	 * MariaDB Connector/J and MySQL Connector/J: milliseconds.
	 */
	MILLISECONDS("milliseconds") {

		@Override
		long value(Duration timeout) {
			return timeout.toMillis();
		}

	};

	static final String CONNECT_TIMEOUT = "connectTimeout";

	static final String SOCKET_TIMEOUT = "socketTimeout";

	private final String unit;

	DriverTimeouts(String unit) {
		this.unit = unit;
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
		if (!driverName.equalsIgnoreCase(CONNECT_TIMEOUT) && !driverName.equalsIgnoreCase(SOCKET_TIMEOUT)) {
			return;
		}
		long value = parse(rawValue);
		if (value <= 0) {
			String problem = (value == 0) ? "which the driver reads as waiting forever"
					: "which is not a positive whole number of " + this.unit;
			throw url.invalid("has " + name + "=" + (value == 0 ? "0" : "an invalid value") + ", " + problem,
					"Give " + name + " a positive number of " + this.unit + ", or remove it to use "
							+ (driverName.equalsIgnoreCase(SOCKET_TIMEOUT) ? "attach.jdbc.socket-timeout"
									: "attach.jdbc.connect-timeout")
							+ ": attach never waits forever.");
		}
	}

	/**
	 * Adds a timeout in the driver's unit unless a parameter of the driver's own name sets it.
	 * @param parameters the URL's parameters as {@code name=value}, to add to
	 * @param name the driver's parameter name
	 * @param timeout the timeout to add
	 */
	void addUnlessSet(List<String> parameters, String name, Duration timeout) {
		if (parameters.stream().noneMatch((parameter) -> parameter.startsWith(name + "="))) {
			parameters.add(name + "=" + value(timeout));
		}
	}

	private static long parse(String rawValue) {
		if (rawValue.isEmpty() || rawValue.length() > 9 || !rawValue.chars().allMatch(Character::isDigit)) {
			return -1;
		}
		return Long.parseLong(rawValue);
	}

}
