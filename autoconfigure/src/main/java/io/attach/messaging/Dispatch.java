package io.attach.messaging;

/**
 * Runs a subscription's handler on one message, the same for every backend: reads the payload, drops a duplicate
 * through the inbox, calls the handler in a transaction with the inbox record, and turns what happened into an
 * {@link Outcome}.
 *
 * @author attach
 */
@FunctionalInterface
interface Dispatch {

	/**
	 * Handles one message.
	 * @param message the message
	 * @return what the backend does with it; never throws
	 */
	Outcome dispatch(InboundMessage message);

}
