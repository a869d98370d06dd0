package io.attach.redis;

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

	RedisCheck(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	@Override
	public Health health() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return Health.up().withDetail("ping", connection.ping()).build();
		}
		catch (RuntimeException ex) {
			return Health.down(ex).build();
		}
	}

}
