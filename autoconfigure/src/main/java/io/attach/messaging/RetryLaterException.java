package io.attach.messaging;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Thrown by a {@link MessageHandler} for a message to deliver again later, such as when something it needs is down;
 * it counts as an attempt.
 *
 * @author attach
 */
public class RetryLaterException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final @Nullable Duration delay;

	/**
	 * Creates the exception, leaving the delay to the backoff.
	 * @param reason why
	 */
	public RetryLaterException(String reason) {
		this(reason, null);
	}

	/**
	 * Creates the exception.
	 * @param reason why
	 * @param delay how long to wait at least, or {@code null} for the backoff's
	 */
	public RetryLaterException(String reason, @Nullable Duration delay) {
		super(reason);
		this.delay = delay;
	}

	/**
	 * Returns the delay the handler asked for.
	 * @return the delay, or {@code null}
	 */
	public @Nullable Duration getDelay() {
		return this.delay;
	}

}
