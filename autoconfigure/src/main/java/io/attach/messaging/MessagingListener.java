package io.attach.messaging;

/**
 * Told what happened to messages, such as {@link MessagingMetrics}; every method does nothing unless overridden.
 *
 * @author attach
 */
interface MessagingListener {

	/**
	 * Tells nothing to no one, when there is no meter registry.
	 */
	MessagingListener NONE = new MessagingListener() {
	};

	/**
	 * A message was stored for delivery, and the caller's transaction, if any, committed.
	 * @param topic the topic
	 */
	default void published(String topic) {
	}

	/**
	 * A group's handler handled a message.
	 * @param topic the topic
	 * @param group the group
	 */
	default void consumed(String topic, String group) {
	}

	/**
	 * A message was delivered to a group again, as the next attempt after a failed one.
	 * @param topic the topic
	 * @param group the group
	 */
	default void retried(String topic, String group) {
	}

	/**
	 * The broker delivered a message to a group again that it had delivered before without an answer, such as after
	 * a lost connection or a crashed consumer.
	 * @param topic the topic
	 * @param group the group
	 */
	default void redelivered(String topic, String group) {
	}

	/**
	 * A message the group had handled before was dropped without calling its handler.
	 * @param topic the topic
	 * @param group the group
	 */
	default void duplicate(String topic, String group) {
	}

	/**
	 * A group's handler failed a message for good, or the broker's delivery limit ran out, and it was parked.
	 * @param topic the topic
	 * @param group the group
	 */
	default void parked(String topic, String group) {
	}

}
