package io.attach.messaging;

/**
 * Thrown when a message cannot be stored for delivery.
 *
 * @author attach
 */
public class MessagingException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause why
	 */
	public MessagingException(String message, Throwable cause) {
		super(message, cause);
	}

}
