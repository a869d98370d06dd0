package io.attach.messaging;

import java.util.List;

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
	 * Handles messages that arrived together, in their order: by default each alone.
	 * @param messages the messages
	 * @return what the backend does with each, in the same order; never throws
	 */
	default List<Outcome> dispatchAll(List<InboundMessage> messages) {
		return messages.stream().map(this::dispatch).toList();
	}

	/**
	 * Tells whether {@link #dispatchAll} handles messages together, so that a backend gathers them for it.
	 * @return whether it does; by default not
	 */
	default boolean batches() {
		return false;
	}

	/**
	 * Handles one message.
	 * @param message the message
	 * @return what the backend does with it; never throws
	 */
	Outcome dispatch(InboundMessage message);

}
