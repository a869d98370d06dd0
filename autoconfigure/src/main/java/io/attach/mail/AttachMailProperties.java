package io.attach.mail;

import java.time.Duration;

import io.attach.core.Timeouts;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for attached mail.
 *
 * @author attach
 */
@ConfigurationProperties("attach.mail")
public class AttachMailProperties {

	/**
	 * Where mail goes: 'smtp' sends it to SMTP_URL, 'console' logs it. Defaults to MAIL_BACKEND, else 'smtp' when
	 * SMTP_URL is set and 'console' when no mail server is configured at all.
	 */
	private @Nullable String backend;

	/**
	 * Sender address for mail that has no From, such as 'App <no-reply@example.com>'. Defaults to MAIL_FROM.
	 */
	private @Nullable String from;

	/**
	 * Time to establish a connection to the mail server.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Time to wait for each answer of the mail server.
	 */
	private Duration readTimeout = Duration.ofSeconds(10);

	/**
	 * Time a write to the mail server may take.
	 */
	private Duration writeTimeout = Duration.ofSeconds(10);

	/**
	 * Time between two connections the health check makes to the mail server; in between it reports the last
	 * result, so that probes do not open a connection (and log in) every few seconds.
	 */
	private Duration checkInterval = Duration.ofSeconds(30);

	/**
	 * Whether to verify the mail server's certificate and host name. False logs a warning: only for a server whose
	 * URL the platform owns and whose certificate is self-signed.
	 */
	private boolean verifyPeer = true;

	public @Nullable String getBackend() {
		return this.backend;
	}

	public void setBackend(@Nullable String backend) {
		this.backend = backend;
	}

	public @Nullable String getFrom() {
		return this.from;
	}

	public void setFrom(@Nullable String from) {
		this.from = from;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = Timeouts.requirePositive("attach.mail.connect-timeout", connectTimeout);
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = Timeouts.requirePositive("attach.mail.read-timeout", readTimeout);
	}

	public Duration getWriteTimeout() {
		return this.writeTimeout;
	}

	public void setWriteTimeout(Duration writeTimeout) {
		this.writeTimeout = Timeouts.requirePositive("attach.mail.write-timeout", writeTimeout);
	}

	public Duration getCheckInterval() {
		return this.checkInterval;
	}

	public void setCheckInterval(Duration checkInterval) {
		this.checkInterval = checkInterval;
	}

	public boolean isVerifyPeer() {
		return this.verifyPeer;
	}

	public void setVerifyPeer(boolean verifyPeer) {
		this.verifyPeer = verifyPeer;
	}

}
