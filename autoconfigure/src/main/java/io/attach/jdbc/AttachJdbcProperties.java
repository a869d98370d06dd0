package io.attach.jdbc;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the attached database.
 *
 * @author attach
 */
@ConfigurationProperties("attach.jdbc")
public class AttachJdbcProperties {

	/**
	 * Time to establish a connection, added to the JDBC URL unless the URL sets the driver's own parameter.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Time a socket read may block, added to the JDBC URL unless the URL sets the driver's own parameter.
	 */
	private Duration socketTimeout = Duration.ofSeconds(30);

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = positive(connectTimeout);
	}

	public Duration getSocketTimeout() {
		return this.socketTimeout;
	}

	public void setSocketTimeout(Duration socketTimeout) {
		this.socketTimeout = positive(socketTimeout);
	}

	// Zero means "wait forever" to the drivers, which is what attach exists to prevent.
	private static Duration positive(Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("Timeouts must be positive: attach never waits forever");
		}
		return timeout;
	}

}
