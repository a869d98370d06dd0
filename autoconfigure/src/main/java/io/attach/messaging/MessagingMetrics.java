package io.attach.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts messages published, consumed, retried, redelivered by the broker, dropped as duplicates and parked, in Micrometer, tagged by topic
 * and group; the outbox's own metrics ({@code attach.outbox.*}, resource {@code messaging}) count what waits to leave.
 *
 * @author attach
 */
final class MessagingMetrics implements MessagingListener {

	private final MeterRegistry registry;

	MessagingMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void published(String topic) {
		Counter.builder("attach.messaging.published")
			.description("Messages stored for delivery, once the publisher's transaction committed")
			.tag("topic", topic)
			.register(this.registry)
			.increment();
	}

	@Override
	public void consumed(String topic, String group) {
		count("attach.messaging.consumed", "Messages a group's handler handled", topic, group);
	}

	@Override
	public void retried(String topic, String group) {
		count("attach.messaging.retried", "Deliveries of a message to a group as the next attempt after a failed one",
				topic, group);
	}

	@Override
	public void redelivered(String topic, String group) {
		count("attach.messaging.redelivered",
				"Deliveries the broker made again after the first went unanswered, such as after a lost connection",
				topic, group);
	}

	@Override
	public void duplicate(String topic, String group) {
		count("attach.messaging.duplicates", "Messages a group had handled before, dropped without calling its handler",
				topic, group);
	}

	@Override
	public void parked(String topic, String group) {
		count("attach.messaging.parked",
				"Messages parked after their handler failed for good or the broker's delivery limit ran out", topic,
				group);
	}

	private void count(String name, String description, String topic, String group) {
		// The registry keeps one counter per name and tags: registering again finds it.
		Counter.builder(name).description(description).tags("topic", topic, "group", group).register(this.registry)
			.increment();
	}

}
