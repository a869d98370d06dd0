package io.attach.outbox;

/**
 * A failure of the service an outbox delivers to, or its circuit breaker refusing the call, as opposed to a refusal
 * of one item ({@link RejectedItemException}).
 *
 * @author attach
 */
final class ServiceFailure extends RuntimeException {

	private final boolean notPermitted;

	ServiceFailure(String message, Throwable cause) {
		this(message, cause, false);
	}

	private ServiceFailure(String message, Throwable cause, boolean notPermitted) {
		super(message, cause);
		this.notPermitted = notPermitted;
	}

	/**
	 * Creates the failure of a call the circuit breaker did not make.
	 * @param cause the breaker's refusal
	 * @return the failure
	 */
	static ServiceFailure notPermitted(Throwable cause) {
		return new ServiceFailure(String.valueOf(cause.getMessage()), cause, true);
	}

	/**
	 * Tells whether the call was not made at all, because the breaker is open.
	 * @return whether the breaker refused the call
	 */
	boolean isNotPermitted() {
		return this.notPermitted;
	}

}
