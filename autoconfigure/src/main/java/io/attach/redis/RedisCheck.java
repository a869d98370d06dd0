package io.attach.redis;

import io.attach.health.DownHealth;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Checks the attached Redis with a {@code PING}, bounded by the command timeout, and leaves logging to the monitor.
 *
 * @author attach
 */
final class RedisCheck implements HealthIndicator {

	private final RedisConnectionFactory connectionFactory;

	private final boolean tls;

	RedisCheck(RedisConnectionFactory connectionFactory, boolean tls) {
		this.connectionFactory = connectionFactory;
		this.tls = tls;
	}

	@Override
	public Health health() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return Health.up().withDetail("ping", connection.ping()).build();
		}
		catch (RuntimeException ex) {
			return DownHealth.of(ex, this.tls).build();
		}
	}

}
