package io.attach.redis;

import java.util.List;
import java.util.Optional;

import io.attach.core.ResourceDeclaration;

import org.springframework.core.env.Environment;

/**
 * Tells whether the application uses Redis at all: the cache is attached, or the user configured Redis or a cache
 * type through Spring Boot's own properties. Otherwise Boot would default to a Redis on localhost nobody attached.
 *
 * @author attach
 */
public final class RedisChoice {

	private static final List<String> SPRING_PROPERTIES = List.of("spring.cache.type", "spring.data.redis.url",
			"spring.data.redis.host", "spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes");

	private RedisChoice() {
	}

	/**
	 * Returns why the application uses Redis or a chosen cache.
	 * @param environment the environment
	 * @return the reason, or empty when nothing was attached or chosen
	 */
	public static Optional<String> reason(Environment environment) {
		if (ResourceDeclaration.of(environment, "cache").isAttached()) {
			return Optional.of("the cache is attached");
		}
		return SPRING_PROPERTIES.stream().filter(environment::containsProperty).findFirst().map((name) -> name + " is set");
	}

}
