package io.attach.messaging;

/**
 * Handles the messages of a subscription. Returning normally means handled; {@link ParkMessageException} parks the
 * message for an operator; {@link RetryLaterException}, or any other exception, delivers it again later until the
 * attempts run out, when it is parked.
 *
 * @param <T> the payload's type
 * @author attach
 */
@FunctionalInterface
public interface MessageHandler<T> {

	/**
	 * Handles one message; with a database attached, in a transaction that also records its id, so that its effects
	 * and the record commit together and a redelivery is dropped.
	 * @param message the message
	 * @throws Exception if it could not be handled now
	 */
	void handle(ReceivedMessage<T> message) throws Exception;

}
