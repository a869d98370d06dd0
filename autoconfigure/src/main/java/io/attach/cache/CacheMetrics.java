package io.attach.cache;

import io.attach.core.AttachedResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Counts the reads of one cache as hits, misses, or degraded: served by the source because the cache failed or its
 * breaker was open.
 *
 * @author attach
 */
final class CacheMetrics {

	private final @Nullable Counter hits;

	private final @Nullable Counter misses;

	private final @Nullable Counter degraded;

	CacheMetrics(AttachedResource resource, String cacheName, @Nullable MeterRegistry registry) {
		this.hits = counter(registry, resource, cacheName, "hit");
		this.misses = counter(registry, resource, cacheName, "miss");
		this.degraded = counter(registry, resource, cacheName, "degraded");
	}

	void hit() {
		increment(this.hits);
	}

	void miss() {
		increment(this.misses);
	}

	void degraded() {
		increment(this.degraded);
	}

	private static @Nullable Counter counter(@Nullable MeterRegistry registry, AttachedResource resource,
			String cacheName, String result) {
		return (registry != null) ? Counter.builder("attach.cache.gets")
			.description("Reads of an attached cache, by result")
			.tags("resource", resource.name(), "kind", resource.kind().id(), "cache", cacheName, "result", result)
			.register(registry) : null;
	}

	private static void increment(@Nullable Counter counter) {
		if (counter != null) {
			counter.increment();
		}
	}

}
