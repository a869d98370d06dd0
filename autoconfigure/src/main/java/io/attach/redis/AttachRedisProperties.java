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

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = Timeouts.requirePositive("attach.redis.connect-timeout", connectTimeout);
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = Timeouts.requirePositive("attach.redis.command-timeout", commandTimeout);
	}

}
