package io.attach.cache;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.attach.resilience.ResourceCircuitBreaker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.Cache;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.serializer.SerializationException;

/**
 * A {@link Cache} that treats the attached cache as optional: a failed read is a miss, a failed write or eviction is
 * logged and skipped, and while the breaker is open no call is made at all.
 * <p>
 * A key whose write or eviction failed is remembered, and not served from the cache until it has been evicted or
 * written again, so a value changed during an outage is not read back stale by this instance once the cache returns;
 * past 10,000 such keys the whole cache is cleared instead. Other instances serve their stale entry until it expires.
 *
 * @author attach
 */
final class ResilientCache implements Cache {

	private static final Log logger = LogFactory.getLog(ResilientCache.class);

	// Beyond this many keys to distrust, distrust the whole cache: an outage must not grow memory without bound.
	private static final int MAX_STALE_KEYS = 10_000;

	private final Cache cache;

	private final ResourceCircuitBreaker breaker;

	private final CacheMetrics metrics;

	private final Set<Object> staleKeys = ConcurrentHashMap.newKeySet();

	// One load in flight per key, so that @Cacheable(sync = true) loads a key once per instance; no lock is held
	// while loading, so nested loads cannot deadlock.
	private final Map<Object, Load> loading = new ConcurrentHashMap<>();

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
		return guarded("get", () -> counted(readable(key)), null);
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
		Load load = new Load(Thread.currentThread(), new CompletableFuture<>());
		Load inFlight = this.loading.putIfAbsent(key, load);
		if (inFlight != null && inFlight.owner() != Thread.currentThread()) {
			try {
				return (T) inFlight.future().join();
			}
			catch (CompletionException ex) {
				throw new ValueRetrievalException(key, valueLoader, (ex.getCause() != null) ? ex.getCause() : ex);
			}
		}
		try {
			// Loaded outside the breaker: a failure of the source must not count against the cache.
			T value = valueLoader.call();
			put(key, value);
			load.future().complete(value);
			return value;
		}
		catch (Exception ex) {
			load.future().completeExceptionally(ex);
			throw new ValueRetrievalException(key, valueLoader, ex);
		}
		finally {
			this.loading.remove(key, load);
		}
	}

	@Override
	public CompletableFuture<?> retrieve(Object key) {
		if (!isFresh(key)) {
			this.metrics.degraded();
			return CompletableFuture.completedFuture(null);
		}
		if (this.cache.getNativeCache() instanceof RedisCacheWriter writer && !writer.supportsAsyncRetrieve()) {
			return CompletableFuture.completedFuture(get(key));
		}
		return this.breaker.runAsync(() -> retrieveStored(key).handle((value, failure) -> {
			if (failure == null) {
				return counted(value);
			}
			Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
					? failure.getCause() : failure;
			if (cause instanceof SerializationException) {
				// Unreadable, not unavailable: evict it off the client's I/O thread, and read it as a miss.
				logger.warn("Cache '" + getName() + "' holds an unreadable value, evicted: " + cause.getMessage());
				CompletableFuture.runAsync(() -> evict(key));
				this.metrics.miss();
				return null;
			}
			throw (failure instanceof CompletionException completion) ? completion
					: new CompletionException(failure);
		}), (failure) -> degraded("retrieve", failure, null));
	}

	// Spring's contract lets a cache answer a key it holds no mapping for with no future at all: a miss.
	private CompletableFuture<?> retrieveStored(Object key) {
		CompletableFuture<?> stored = this.cache.retrieve(key);
		return (stored != null) ? stored : CompletableFuture.completedFuture(null);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
		return retrieve(key).thenCompose((cached) -> {
			if (cached != null) {
				return CompletableFuture.completedFuture(
						(T) ((cached instanceof ValueWrapper wrapper) ? wrapper.get() : cached));
			}
			// The write blocks: never on the Redis client's I/O thread that completed the read.
			return valueLoader.get().thenApplyAsync((value) -> {
				put(key, value);
				return value;
			});
		});
	}

	@Override
	public void put(Object key, @Nullable Object value) {
		boolean written = Boolean.TRUE.equals(guarded("put", () -> {
			this.cache.put(key, value);
			return true;
		}, false));
		if (written) {
			this.staleKeys.remove(key);
		}
		else {
			distrust(key);
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
			distrust(key);
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

	private void distrust(Object key) {
		this.staleKeys.add(key);
		if (this.staleKeys.size() > MAX_STALE_KEYS) {
			this.clearPending = true;
			this.staleKeys.clear();
		}
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

	// A value that no longer deserializes (say, a class changed in a deploy) is the application's problem, not the
	// cache's: it is evicted and read as a miss, without counting against the breaker.
	private @Nullable ValueWrapper readable(Object key) {
		try {
			return this.cache.get(key);
		}
		catch (SerializationException ex) {
			logger.warn("Cache '" + getName() + "' holds an unreadable value, evicted: " + ex.getMessage());
			this.cache.evict(key);
			return null;
		}
	}

	private <T> @Nullable T counted(@Nullable T value) {
		if (value != null) {
			this.metrics.hit();
		}
		else {
			this.metrics.miss();
		}
		return value;
	}

	private <T> @Nullable T guarded(String operation, Supplier<@Nullable T> call, @Nullable T fallback) {
		return this.breaker.run(call, (failure) -> degraded(operation, failure, fallback));
	}

	private <T> @Nullable T degraded(String operation, Throwable failure, @Nullable T fallback) {
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
	}

	/**
	 * A load in flight, with its thread, so that a loader reading its own key recurses as it would uncached
	 * instead of waiting for itself.
	 */
	private record Load(Thread owner, CompletableFuture<Object> future) {

	}

}
