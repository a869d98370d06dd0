package io.attach.cache;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.attach.resilience.ResourceCircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * Decorates a {@link CacheManager} so that every {@link Cache} degrades to the source of truth when the attached
 * cache fails, without taking the application's single {@code CachingConfigurer} slot.
 *
 * @author attach
 */
public final class ResilientCacheManager implements CacheManager {

	private final CacheManager cacheManager;

	private final ResourceCircuitBreaker breaker;

	private final @Nullable MeterRegistry meterRegistry;

	private final Map<String, ResilientCache> caches = new ConcurrentHashMap<>();

	ResilientCacheManager(CacheManager cacheManager, ResourceCircuitBreaker breaker,
			@Nullable MeterRegistry meterRegistry) {
		this.cacheManager = cacheManager;
		this.breaker = breaker;
		this.meterRegistry = meterRegistry;
	}

	@Override
	public @Nullable Cache getCache(String name) {
		ResilientCache cache = this.caches.get(name);
		if (cache != null) {
			return cache;
		}
		Cache delegate = this.cacheManager.getCache(name);
		return (delegate != null) ? this.caches.computeIfAbsent(name, (key) -> new ResilientCache(delegate,
				this.breaker, new CacheMetrics(this.breaker.getResource(), name, this.meterRegistry))) : null;
	}

	@Override
	public Collection<String> getCacheNames() {
		return this.cacheManager.getCacheNames();
	}

	/**
	 * Returns the decorated cache manager.
	 * @return the cache manager that talks to the attached cache
	 */
	public CacheManager getCacheManager() {
		return this.cacheManager;
	}

}
