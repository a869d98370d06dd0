package io.attach.redis;

import java.util.Optional;

import io.attach.core.AttachedResource;
import io.attach.core.ConnectionProblem;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceUrl;

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
			.bootCheckOffWhenUnused()
			.failures("org.springframework.data.redis.RedisConnectionFailureException",
					"io.lettuce.core.RedisConnectionException")
			.connectionDetails("org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails",
					"io.attach.redis.RedisUrlConnectionDetails")
			.standIn("Spring's cache as Spring Boot configures it without Redis, in memory or none"));
	}

	@Override
	public Optional<ConnectionProblem> explain(Throwable failure, AttachedResource resource) {
		if (!usesTls(resource.url())) {
			return Optional.empty();
		}
		// Redis waits in silence for the end of a command line that a TLS handshake never sends.
		return ConnectionProblem.of(failure, resource.server(), resource.setting())
			.map((problem) -> problem.onTls(resource.setting()));
	}

	static boolean usesTls(ResourceUrl url) {
		return url.scheme().startsWith("rediss") || url.scheme().endsWith("+ssl") || url.scheme().endsWith("+tls");
	}

}
