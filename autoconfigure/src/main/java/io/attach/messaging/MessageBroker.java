package io.attach.messaging;

import java.util.List;
import java.util.Optional;

import io.attach.outbox.OutboxDelivery;
import org.jspecify.annotations.Nullable;

/**
 * What a messaging backend provides: the outbox's delivery of published messages, the consumers of each group, and
 * the parked messages of failed consumptions. The in-process backend and RabbitMQ's each implement it; both pass the
 * same conformance suite.
 *
 * @author attach
 */
interface MessageBroker {

	/**
	 * Header holding the topic of a published message in its outbox item.
	 */
	String TOPIC_HEADER = "attach-topic";

	/**
	 * Header counting the deliveries of a message to a group, attach's own rather than the broker's.
	 */
	String ATTEMPT_HEADER = "attach-attempt";

	/**
	 * Returns what delivers the outbox's items: an item's id is the message id, its key the key, its headers the
	 * application's plus {@link #TOPIC_HEADER}, its payload JSON.
	 * @return the delivery
	 */
	OutboxDelivery delivery();

	/**
	 * Starts consuming a topic's messages for a group, handing each to the dispatch and acting on its outcome.
	 * @param topic the topic
	 * @param group the group
	 * @param dispatch what handles each message
	 * @return a handle that stops this consumer
	 */
	AutoCloseable consume(String topic, String group, Dispatch dispatch);

	/**
	 * Lists the parked messages of failed consumptions.
	 * @param limit at most how many
	 * @return the parked messages, oldest first
	 */
	List<ParkedMessage> parked(int limit);

	/**
	 * Delivers a parked message to its group again, as a first attempt.
	 * @param group the group
	 * @param id the message's id
	 * @return whether it was parked
	 */
	boolean requeue(String group, String id);

	/**
	 * Delivers a parked message of one topic to its group again, as a first attempt: an id may be reused on two
	 * topics.
	 * @param group the group
	 * @param topic the topic, or {@code null} for the first of the group's parked messages with that id
	 * @param id the message's id
	 * @return whether it was parked
	 */
	default boolean requeue(String group, @Nullable String topic, String id) {
		// A backend that keeps no more than one parked message per group and id.
		return requeue(group, id);
	}

	/**
	 * Delivers every message a group has parked again, as first attempts; one that is parked again meanwhile waits
	 * for the next call.
	 * @param group the group
	 * @return how many were requeued
	 */
	default int requeueAll(String group) {
		int requeued = 0;
		for (ParkedMessage message : parked(Integer.MAX_VALUE)) {
			if (message.group().equals(group) && requeue(group, message.topic(), message.id())) {
				requeued++;
			}
		}
		return requeued;
	}

	/**
	 * Discards a parked message.
	 * @param group the group
	 * @param id the message's id
	 * @return whether it was parked
	 */
	boolean discard(String group, String id);

	/**
	 * Discards a parked message of one topic.
	 * @param group the group
	 * @param topic the topic, or {@code null} for the first of the group's parked messages with that id
	 * @param id the message's id
	 * @return whether it was parked
	 */
	default boolean discard(String group, @Nullable String topic, String id) {
		return discard(group, id);
	}

	/**
	 * Describes a parked message for the endpoint.
	 * @param group the group that failed to handle it
	 * @param topic the topic
	 * @param id the message's id
	 * @param attempts how many times it was delivered
	 * @param reason why it was parked, if known
	 */
	record ParkedMessage(String group, String topic, String id, int attempts, Optional<String> reason) {
	}

}
