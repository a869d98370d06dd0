package io.attach.outbox;

import java.util.Objects;

/**
 * Thrown by an {@link OutboxDelivery} when the service answered and refused an item: permanently (parked) or for
 * now (retried later, on its own).
 *
 * @author attach
 */
public class RejectedItemException extends Exception {

	private final boolean permanent;

	/**
	 * Creates an exception.
	 * @param message why the service refused the item, without secrets
	 * @param permanent whether retrying cannot help
	 * @param cause the client's exception
	 */
	public RejectedItemException(String message, boolean permanent, Throwable cause) {
		super(message, cause);
		this.permanent = permanent;
	}

	@Override
	public String getMessage() {
		// Never null: the constructor takes a message, which the stores keep as the reason.
		return Objects.requireNonNull(super.getMessage());
	}

	/**
	 * Tells whether retrying cannot help.
	 * @return whether the failure is permanent
	 */
	public boolean isPermanent() {
		return this.permanent;
	}

}
