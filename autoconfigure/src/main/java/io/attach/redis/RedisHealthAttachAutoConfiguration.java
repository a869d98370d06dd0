package io.attach.redis;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.health.ResourceHealthCheck;
import io.attach.health.ResourceHealthMonitor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the attached cache's
 * time-bounded health check, which replaces Boot's {@code redis} check and follows its
 * {@code management.health.redis.enabled}.
 *
 * @author attach
 */
@AutoConfiguration(after = { DataRedisAutoConfiguration.class, HealthAttachAutoConfiguration.class }, beforeName = {
		"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
		"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration" })
@ConditionalOnClass({ HealthIndicator.class, RedisConnectionFactory.class })
@ConditionalOnAttachedResource("cache")
@ResourceHealthCheck("cache")
@ConditionalOnBean({ RedisConnectionFactory.class, ResourceHealthMonitor.class })
public final class RedisHealthAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "cacheHealthContributor")
	MonitoredHealthIndicator cacheHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources,
			RedisConnectionFactory connectionFactory) {
		AttachedResource cache = resources.get("cache").orElseThrow();
		return monitor.monitor(cache, new RedisCheck(connectionFactory, RedisResourceKind.usesTls(cache.url())));
	}

}
