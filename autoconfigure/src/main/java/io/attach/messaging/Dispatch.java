package io.attach.messaging;

import java.util.ArrayList;
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
	 * Handles one message.
	 * @param message the message
	 * @return what the backend does with it; never throws
	 */
	Outcome dispatch(InboundMessage message);

	/**
	 * Handles several messages of one subscription, as one at a time does unless the dispatch can do better.
	 * @param messages the messages, in the order received
	 * @return what the backend does with each, in order; never throws
	 */
	default List<Outcome> dispatch(List<InboundMessage> messages) {
		List<Outcome> outcomes = new ArrayList<>(messages.size());
		for (InboundMessage message : messages) {
			outcomes.add(dispatch(message));
		}
		return outcomes;
	}

}
