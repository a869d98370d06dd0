package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;

/**
 * Publishes an outbox's queue depth, parked items, items that belong to no application, age of the oldest item and
 * delivery outcomes to Micrometer.
 *
 * @author attach
 */
public final class OutboxMetrics implements OutboxListener {

	private final Counter delivered;

	private final Counter retried;

	private final Counter parked;

	private final MeterRegistry registry;

	private final String resource;

	/**
	 * Registers the counters of one outbox.
	 * @param resource the resource the outbox serves
	 * @param registry the registry
	 */
	public OutboxMetrics(String resource, MeterRegistry registry) {
		this.registry = registry;
		this.resource = resource;
		this.delivered = outcome(registry, resource, "delivered");
		this.retried = outcome(registry, resource, "retried");
		this.parked = outcome(registry, resource, "parked");
	}

	/**
	 * Registers the gauges, once the relay that counts the items exists.
	 * @param stats the outbox's latest counts
	 */
	public void bindStats(Supplier<OutboxStats> stats) {
		MeterRegistry registry = this.registry;
		String resource = this.resource;
		Gauge.builder("attach.outbox.queued", stats, (latest) -> latest.get().queued())
			.description("Items waiting in the outbox for delivery")
			.tag("resource", resource)
			.strongReference(true)
			.register(registry);
		Gauge.builder("attach.outbox.parked", stats, (latest) -> latest.get().parked())
			.description("Items that failed permanently and wait for an operator")
			.tag("resource", resource)
			.strongReference(true)
			.register(registry);
		Gauge.builder("attach.outbox.unassigned", stats, (latest) -> latest.get().unassigned())
			.description("Items in the table that belong to no application, queued by an earlier version, which no"
					+ " instance delivers until they are assigned")
			.tag("resource", resource)
			.strongReference(true)
			.register(registry);
		TimeGauge.builder("attach.outbox.oldest.age", stats, TimeUnit.MILLISECONDS, (latest) -> {
			Instant oldest = latest.get().oldest();
			return (oldest != null) ? Duration.between(oldest, Instant.now()).toMillis() : 0;
		})
			.description("Age of the oldest item waiting in the outbox")
			.tag("resource", resource)
			// Gauges hold their object weakly, and nothing else holds this supplier.
			.strongReference(true)
			.register(registry);
	}

	private static Counter outcome(MeterRegistry registry, String resource, String outcome) {
		return Counter.builder("attach.outbox.attempts")
			.description("Delivery attempts of outbox items, by outcome")
			.tags("resource", resource, "outcome", outcome)
			.register(registry);
	}

	@Override
	public void delivered(int count) {
		this.delivered.increment(count);
	}

	@Override
	public void retried(int count) {
		this.retried.increment(count);
	}

	@Override
	public void parked(int count) {
		this.parked.increment(count);
	}

}
