package io.attach.outbox;

/**
 * Delivers outbox items to the backing service, one connection per relay round.
 * <p>
 * A {@link RejectedItemException} means the service answered and refused one item; any other exception means the
 * service failed, and the relay backs off.
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
	 * A connection that delivers items one at a time.
	 */
	interface Connection extends AutoCloseable {

		/**
		 * Delivers one item.
		 * @param item the item
		 * @throws RejectedItemException if the service refused this item
		 * @throws Exception if the service failed
		 */
		void deliver(OutboxItem item) throws Exception;

	}

}
