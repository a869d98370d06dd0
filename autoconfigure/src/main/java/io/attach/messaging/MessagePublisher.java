package io.attach.messaging;

/**
 * Publishes messages to topics: application code depends on this instead of a broker's client.
 * <p>
 * {@code publish} stores the message in the outbox, in the caller's transaction where there is one (a rollback means
 * it was never published), and returns; it never waits for the broker. A relay sends it once the broker confirms it.
 *
 * @author attach
 */
public interface MessagePublisher {

	/**
	 * Publishes a payload, written as JSON by the application's mapper, under a new id.
	 * @param topic the topic, such as {@code user.created}
	 * @param payload the payload
	 * @return the message's id, the same for every delivery of it
	 * @throws MessagingException if the message could not be stored for delivery
	 */
	String publish(String topic, Object payload);

	/**
	 * Publishes a message with a key, headers or an id of the caller's.
	 * @param message the message
	 * @return the message's id: the caller's, or a new one
	 * @throws MessagingException if the message could not be stored for delivery
	 */
	String publish(OutgoingMessage message);

}
