package io.attach.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The queues of one group's subscription to a topic on RabbitMQ: the queue its consumers compete on, the retry tiers
 * messages wait in before their next attempt, and the parked queue of those that failed.
 * <p>
 * Names are {@code <prefix><group>:<topic>}, with {@code :retry-<ttl>} (such as {@code :retry-10s}) and
 * {@code :parked} appended: a colon is in no group or topic name, so two subscriptions never share a queue. Each
 * retry tier holds every message for the same time, so none waits behind a longer one.
 *
 * @param topic the topic
 * @param group the group
 * @param queue the group's queue
 * @param retries the retry tiers, shortest first
 * @param parked the parked queue
 * @author attach
 */
record RabbitGroupQueues(String topic, String group, String queue, List<Tier> retries, String parked) {

	/**
	 * The retry tiers when none are configured: 1 s, 10 s, 1 min and 10 min.
	 */
	static final List<Duration> DEFAULT_TIERS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(10),
			Duration.ofMinutes(1), Duration.ofMinutes(10));

	// AMQP's shortstr: a queue name has at most 255 bytes.
	private static final int MAX_NAME = 255;

	RabbitGroupQueues {
		retries = List.copyOf(retries);
	}

	/**
	 * Names the queues of a group's subscription with the default retry tiers.
	 * @param prefix the queue prefix
	 * @param topic the topic
	 * @param group the group
	 * @return the queues
	 */
	static RabbitGroupQueues of(String prefix, String topic, String group) {
		return of(prefix, topic, group, DEFAULT_TIERS);
	}

	/**
	 * Names the queues of a group's subscription.
	 * @param prefix the queue prefix
	 * @param topic the topic
	 * @param group the group
	 * @param tiers the retry tiers' delays
	 * @return the queues
	 */
	static RabbitGroupQueues of(String prefix, String topic, String group, List<Duration> tiers) {
		String queue = prefix + Topics.checkGroup(group) + ":" + Topics.check(topic);
		List<Tier> retries = tiers.stream()
			.distinct()
			.sorted()
			.map((delay) -> new Tier(delay, queue + ":retry-" + label(delay)))
			.toList();
		RabbitGroupQueues queues = new RabbitGroupQueues(topic, group, queue, retries, queue + ":parked");
		for (String name : queues.all()) {
			if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
				throw new IllegalArgumentException("The queues of group '" + group + "' for topic '" + topic
						+ "' would have names longer than " + MAX_NAME + " bytes, such as '" + name
						+ "': use a shorter group, topic or attach.messaging.rabbit.queue-prefix");
			}
		}
		return queues;
	}

	/**
	 * Returns the tier a retry waits in: the shortest that is at least the delay, else the longest.
	 * @param delay the delay asked for
	 * @return the tier
	 */
	Tier retry(Duration delay) {
		for (Tier tier : this.retries) {
			if (tier.delay().compareTo(delay) >= 0) {
				return tier;
			}
		}
		return this.retries.get(this.retries.size() - 1);
	}

	/**
	 * Returns every queue's name: the group's, the retry tiers' and the parked one.
	 * @return the names
	 */
	List<String> all() {
		List<String> names = new ArrayList<>();
		names.add(this.queue);
		this.retries.forEach((tier) -> names.add(tier.queue()));
		names.add(this.parked);
		return names;
	}

	// Names stay short and readable: 1s, 10s, 1m, 10m, 1h, or milliseconds when nothing rounder fits.
	static String label(Duration delay) {
		long millis = delay.toMillis();
		if (millis % 3_600_000 == 0) {
			return (millis / 3_600_000) + "h";
		}
		if (millis % 60_000 == 0) {
			return (millis / 60_000) + "m";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + "s";
		}
		return millis + "ms";
	}

	/**
	 * One retry tier: a queue that holds every message for the same time, then dead-letters it back to the group's.
	 *
	 * @param delay how long a message waits in it
	 * @param queue the queue's name
	 */
	record Tier(Duration delay, String queue) {

	}

}
