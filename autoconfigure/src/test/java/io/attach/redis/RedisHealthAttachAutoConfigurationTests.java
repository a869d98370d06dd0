package io.attach.redis;

import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration;
import org.springframework.boot.data.redis.health.DataRedisHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisHealthAttachAutoConfiguration}.
 *
 * @author attach
 */
class RedisHealthAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, RedisAttachAutoConfiguration.class,
				DataRedisAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				RedisHealthAttachAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				DataRedisHealthContributorAutoConfiguration.class))
		.withPropertyValues("REDIS_URL=redis://cache.example.com:6379/0");

	@Test
	void whenTheCacheIsAttachedThenItsCheckReplacesBootsRedisCheck() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean("cacheHealthContributor").isInstanceOf(MonitoredHealthIndicator.class);
			assertThat(context.getBean("redisHealthContributor")).isSameAs(context.getBean("cacheHealthContributor"));
			assertThat(context).doesNotHaveBean(DataRedisHealthIndicator.class);
		});
	}

	@Test
	void whenBootsRedisCheckIsTurnedOffThenAttachsCacheCheckIsOffToo() {
		this.contextRunner.withPropertyValues("management.health.redis.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class)
				.doesNotHaveBean("redisHealthContributor"));
	}

}
