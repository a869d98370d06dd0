package io.attach.outbox;

/**
 * Delivers outbox items to the backing service, one connection per relay round.
 * <p>
 * A {@link RejectedItemException} means the service answered and refused one item; any other exception means the
 * service failed, and the relay backs off. A connection delivers one item at a time unless it has a
 * {@linkplain Connection#window() window}: then the relay sends that many items before it awaits the first answer,
 * and awaits the answers in the order it sent the items.
 *
 * @author attach
 */
public interface OutboxDelivery {

	/**
	 * Opens a connection to the service.
	 * @return the connection
	 * @throws RejectedItemException if the service refuses every item, such as for bad credentials
	 * @throws Exception if the service cannot be reached
	 */
	Connection connect() throws Exception;

	/**
	 * A connection that delivers items one at a time, or several at once within its window.
	 */
	interface Connection extends AutoCloseable {

		/**
		 * Delivers one item.
		 * @param item the item
		 * @throws RejectedItemException if the service refused this item
		 * @throws Exception if the service failed
		 */
		void deliver(OutboxItem item) throws Exception;

		/**
		 * Sends one item without waiting for the service's answer, which the relay awaits later; by default it
		 * delivers the item and returns an answer that is already in.
		 * @param item the item
		 * @return the answer to await
		 * @throws RejectedItemException if the service refused this item
		 * @throws Exception if the service failed
		 */
		default Sent send(OutboxItem item) throws Exception {
			deliver(item);
			return Sent.ANSWERED;
		}

		/**
		 * Says how many items may be sent and not yet answered at once; with 1, the default, each item is delivered
		 * and answered before the next is sent.
		 * @return the window, at least 1
		 */
		default int window() {
			return 1;
		}

	}

	/**
	 * An item sent, whose answer the relay awaits before it settles the item.
	 */
	@FunctionalInterface
	interface Sent {

		/**
		 * An answer that is already in: the item was accepted.
		 */
		Sent ANSWERED = () -> {
		};

		/**
		 * Waits, for a bounded time, until the service accepted the item.
		 * @throws RejectedItemException if the service refused this item
		 * @throws Exception if the service failed or did not answer in time
		 */
		void await() throws Exception;

	}

}
