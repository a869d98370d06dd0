package io.attach.messaging;

/**
 * Thrown by a {@link MessageHandler} for a message that will never succeed: it is parked, not retried, until an
 * operator requeues or discards it.
 *
 * @author attach
 */
public class ParkMessageException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param reason why the message cannot be handled, shown with the parked message
	 */
	public ParkMessageException(String reason) {
		super(reason);
	}

	/**
	 * Creates the exception.
	 * @param reason why the message cannot be handled, shown with the parked message
	 * @param cause the failure
	 */
	public ParkMessageException(String reason, Throwable cause) {
		super(reason, cause);
	}

}
