package io.attach.resilience;

import java.util.concurrent.TimeUnit;

import io.attach.core.AttachedResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code attach.resource.calls} timer of a resource, one per outcome, shared by its breaker and its guard.
 *
 * @author attach
 */
final class ResourceCallTimers {

	private ResourceCallTimers() {
	}

	static @Nullable Timer timer(@Nullable MeterRegistry meterRegistry, AttachedResource resource, String outcome) {
		// Registered by whichever comes first: Micrometer hands back the one already registered.
		return (meterRegistry != null) ? Timer.builder("attach.resource.calls")
			.description("Calls attach made to an attached resource, by outcome")
			.tags("resource", resource.name(), "kind", resource.kind().id(), "outcome", outcome)
			.register(meterRegistry) : null;
	}

	static void record(@Nullable Timer timer, long start) {
		if (timer != null) {
			timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		}
	}

}
