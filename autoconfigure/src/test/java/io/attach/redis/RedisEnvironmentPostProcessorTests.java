package io.attach.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisEnvironmentPostProcessor}.
 *
 * @author attach
 */
class RedisEnvironmentPostProcessorTests {

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void whenNothingAttachesOrConfiguresRedisThenBootsRedisCheckIsOff() {
		new RedisEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("management.health.redis.enabled")).isEqualTo("false");
	}

	@ParameterizedTest
	@ValueSource(strings = { "REDIS_URL", "CACHE_URL", "spring.data.redis.host", "spring.data.redis.url",
			"spring.cache.type" })
	void whenRedisIsAttachedOrChosenThenBootsRedisCheckIsLeftAlone(String property) {
		this.environment.setProperty(property, property.endsWith("type") ? "redis" : "redis://cache:6379");
		new RedisEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("management.health.redis.enabled")).isNull();
	}

}
