package io.attach.redis;

import java.time.Duration;

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
		this.connectTimeout = positive(connectTimeout);
	}

	public Duration getCommandTimeout() {
		return this.commandTimeout;
	}

	public void setCommandTimeout(Duration commandTimeout) {
		this.commandTimeout = positive(commandTimeout);
	}

	// Zero means "wait forever" to the drivers, which is what attach exists to prevent.
	private static Duration positive(Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("Timeouts must be positive: attach never waits forever");
		}
		return timeout;
	}

}
