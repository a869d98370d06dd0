package io.attach.jdbc;

import java.time.Duration;

import io.attach.core.Timeouts;

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

	/**
	 * Whether to verify the database server's certificate. False requires TLS without verifying it, whatever
	 * DATABASE_URL asks for, and logs a warning: only for platforms that own the URL and sign with a CA of their own.
	 */
	private boolean verifyPeer = true;

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = Timeouts.requirePositive("attach.jdbc.connect-timeout", connectTimeout);
	}

	public Duration getSocketTimeout() {
		return this.socketTimeout;
	}

	public void setSocketTimeout(Duration socketTimeout) {
		this.socketTimeout = Timeouts.requirePositive("attach.jdbc.socket-timeout", socketTimeout);
	}

	public boolean isVerifyPeer() {
		return this.verifyPeer;
	}

	public void setVerifyPeer(boolean verifyPeer) {
		this.verifyPeer = verifyPeer;
	}

}
