package io.attach.redis;

import java.util.Map;

import io.attach.core.AttachDefaults;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Turns off Boot's {@code redis} health check when nothing attaches or configures Redis, so that an unset
 * {@code REDIS_URL} never probes a Redis on localhost.
 *
 * @author attach
 */
class RedisEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (RedisChoice.reason(environment).isEmpty()) {
			AttachDefaults.add(environment, Map.of("management.health.redis.enabled", "false"));
		}
	}

}
