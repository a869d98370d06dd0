package io.attach.redis;

import io.attach.core.ResourceKind;

/**
 * The {@code cache} resource: a Redis server, from {@code REDIS_URL} or {@code CACHE_URL}. A lone user-info token is
 * its password, as Lettuce reads it.
 *
 * @author attach
 */
final class RedisResourceKind extends ResourceKind {

	RedisResourceKind() {
		super(define("redis", "cache").variables("REDIS_URL", "CACHE_URL")
			.schemes("redis", "rediss", "redis-sentinel", "rediss-sentinel", "redis+ssl", "redis+tls", "rediscache")
			.guarded()
			.replacesBootCheck("redis")
			.bootProperties("spring.cache.type", "spring.data.redis.url", "spring.data.redis.host",
					"spring.data.redis.sentinel.master", "spring.data.redis.cluster.nodes")
			// Boot's Redis defaults to localhost: an unset REDIS_URL must not make it probe one.
			.bootCheckOffWhenUnused());
	}

}
