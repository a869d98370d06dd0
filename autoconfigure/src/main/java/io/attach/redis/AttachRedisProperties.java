package io.attach.redis;

import java.time.Duration;

import io.attach.core.Timeouts;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the attached Redis.
 *
 * @author attach
 */
@ConfigurationProperties("attach.redis")
public class AttachRedisProperties {

	/**
	 * Time to establish a connection, unless REDIS_URL has ?connectTimeout= or spring.data.redis.connect-timeout
	 * is set.
	 */
	private Duration connectTimeout = Duration.ofSeconds(2);

	/**
	 * Time a command may take, unless REDIS_URL has ?timeout= or spring.data.redis.timeout is set.
	 */
	private Duration commandTimeout = Duration.ofMillis(500);

	/**
	 * Whether to verify the certificate of the attached Redis on TLS. Set it to false (ATTACH_REDIS_VERIFYPEER=false)
	 * for a platform that owns REDIS_URL and presents a self-signed certificate, such as Heroku Redis; logged at WARN.
	 */
	private boolean verifyPeer = true;

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = Timeouts.requirePositive("attach.redis.connect-timeout", connectTimeout);
	}

	public boolean isVerifyPeer() {
		return this.verifyPeer;
	}

	public void setVerifyPeer(boolean verifyPeer) {
		this.verifyPeer = verifyPeer;
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = Timeouts.requirePositive("attach.redis.command-timeout", commandTimeout);
	}

}
