package io.attach.cache;

import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.attach.resilience.ResourceCircuitBreaker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;

/**
 * A {@link Cache} that treats the attached cache as optional: a failed read is a miss, a failed write or eviction is
 * logged and skipped, and while the breaker is open no call is made at all.
 * <p>
 * A key whose eviction failed is remembered and never served from the cache until it has been evicted or
 * written again, so a value updated during an outage is not read back stale once the cache returns.
 *
 * @author attach
 */
final class ResilientCache implements Cache {

	private static final Log logger = LogFactory.getLog(ResilientCache.class);

	private final Cache cache;

	private final ResourceCircuitBreaker breaker;

	private final CacheMetrics metrics;

	private final Set<Object> staleKeys = ConcurrentHashMap.newKeySet();

	private volatile boolean clearPending;

	ResilientCache(Cache cache, ResourceCircuitBreaker breaker, CacheMetrics metrics) {
		this.cache = cache;
		this.breaker = breaker;
		this.metrics = metrics;
	}

	@Override
	public String getName() {
		return this.cache.getName();
	}

	@Override
	public Object getNativeCache() {
		return this.cache.getNativeCache();
	}

	@Override
	public @Nullable ValueWrapper get(Object key) {
		if (!isFresh(key)) {
			this.metrics.degraded();
			return null;
		}
		return guarded("get", () -> counted(this.cache.get(key)), null);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, @Nullable Class<T> type) {
		ValueWrapper value = get(key);
		Object stored = (value != null) ? value.get() : null;
		if (stored != null && type != null && !type.isInstance(stored)) {
			throw new IllegalStateException("Cached value is not of required type [" + type.getName() + "]: " + stored);
		}
		return (type != null) ? type.cast(stored) : (T) stored;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
		ValueWrapper cached = get(key);
		if (cached != null) {
			return (T) cached.get();
		}
		// Loaded outside the breaker: a failure of the source must not count against the cache.
		T value;
		try {
			value = valueLoader.call();
		}
		catch (Exception ex) {
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
		put(key, value);
		return value;
	}

	@Override
	public @Nullable CompletableFuture<?> retrieve(Object key) {
		if (!isFresh(key)) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<?> future = guarded("retrieve", () -> this.cache.retrieve(key), null);
		return (future != null) ? future.exceptionally((ex) -> null) : CompletableFuture.completedFuture(null);
	}

	@Override
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return valueLoader.get().thenApply((value) -> {
			put(key, value);
			return value;
		});
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		if (guarded("put", () -> {
			this.cache.put(key, value);
			return true;
		}, false)) {
			this.staleKeys.remove(key);
		}
	}

	@Override
	public @Nullable ValueWrapper putIfAbsent(Object key, @Nullable Object value) {
		if (!isFresh(key)) {
			return null;
		}
		return guarded("putIfAbsent", () -> this.cache.putIfAbsent(key, value), null);
	}

	@Override
	public void evict(Object key) {
		evictIfPresent(key);
	}

	@Override
	public boolean evictIfPresent(Object key) {
		Boolean evicted = guarded("evict", () -> this.cache.evictIfPresent(key), null);
		if (evicted == null) {
			this.staleKeys.add(key);
			return false;
		}
		this.staleKeys.remove(key);
		return evicted;
	}

	@Override
	public void clear() {
		invalidate();
	}

	@Override
	public boolean invalidate() {
		Boolean invalidated = guarded("clear", this.cache::invalidate, null);
		this.clearPending = (invalidated == null);
		if (invalidated != null) {
			this.staleKeys.clear();
		}
		return Boolean.TRUE.equals(invalidated);
	}

	private boolean isFresh(Object key) {
		if (this.clearPending) {
			invalidate();
			if (this.clearPending) {
				return false;
			}
		}
		if (this.staleKeys.contains(key)) {
			evictIfPresent(key);
			return false;
		}
		return true;
	}

	private @Nullable ValueWrapper counted(@Nullable ValueWrapper value) {
		if (value != null) {
			this.metrics.hit();
		}
		else {
			this.metrics.miss();
		}
		return value;
	}

	private <T> T guarded(String operation, Supplier<T> call, T fallback) {
		return this.breaker.run(call, (failure) -> {
			if (!(failure instanceof CallNotPermittedException)) {
				logger.warn("Cache '" + getName() + "' " + operation + " failed, skipped: " + failure);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Cache '" + getName() + "' " + operation + " skipped: circuit breaker is open");
			}
			if (operation.equals("get") || operation.equals("retrieve")) {
				this.metrics.degraded();
			}
			return fallback;
		});
	}

}
