/**
 * {@code REDIS_URL} attached as Spring Boot's {@code DataRedisConnectionDetails}, with finite timeouts.
 */
@NullMarked
package io.attach.redis;

import org.jspecify.annotations.NullMarked;
