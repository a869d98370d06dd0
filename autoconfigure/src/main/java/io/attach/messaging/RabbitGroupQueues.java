package io.attach.messaging;

import java.nio.charset.StandardCharsets;

/**
 * The three queues of one group's subscription to a topic on RabbitMQ: the queue its consumers compete on, the retry
 * queue messages wait in before their next attempt, and the parked queue of those that failed.
 * <p>
 * Names are {@code <prefix><group>:<topic>}, with {@code :retry} and {@code :parked} appended: a colon is in no
 * group or topic name, so two subscriptions never share a queue.
 *
 * @param topic the topic
 * @param group the group
 * @param queue the group's queue
 * @param retry the retry queue
 * @param parked the parked queue
 * @author attach
 */
record RabbitGroupQueues(String topic, String group, String queue, String retry, String parked) {

	// AMQP's shortstr: a queue name has at most 255 bytes.
	private static final int MAX_NAME = 255;

	/**
	 * Names the queues of a group's subscription.
	 * @param prefix the queue prefix
	 * @param topic the topic
	 * @param group the group
	 * @return the queues
	 */
	static RabbitGroupQueues of(String prefix, String topic, String group) {
		String queue = prefix + Topics.checkGroup(group) + ":" + Topics.check(topic);
		RabbitGroupQueues queues = new RabbitGroupQueues(topic, group, queue, queue + ":retry", queue + ":parked");
		if (queues.parked().getBytes(StandardCharsets.UTF_8).length > MAX_NAME) {
			throw new IllegalArgumentException("The queues of group '" + group + "' for topic '" + topic
					+ "' would have names longer than " + MAX_NAME + " bytes, such as '" + queues.parked()
					+ "': use a shorter group, topic or attach.messaging.rabbit.queue-prefix");
		}
		return queues;
	}

}
