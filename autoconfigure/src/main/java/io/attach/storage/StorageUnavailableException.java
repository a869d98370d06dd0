package io.attach.storage;

import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The store behind a {@link FileStorage} cannot be reached, answered too slowly, or its circuit breaker is open: try
 * again later, after {@link #getRetryAfter()} when it says.
 *
 * @author attach
 */
public class StorageUnavailableException extends StorageException {

	private final @Nullable Duration retryAfter;

	/**
	 * Creates an exception for a store that failed.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 */
	public StorageUnavailableException(String message, @Nullable Throwable cause) {
		this(message, cause, null);
	}

	/**
	 * Creates an exception for a call that was refused without reaching the store.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 * @param retryAfter when a retry may succeed, or {@code null} when nothing says
	 */
	public StorageUnavailableException(String message, @Nullable Throwable cause, @Nullable Duration retryAfter) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	/**
	 * Tells when a retry may succeed: known when the circuit breaker refused the call.
	 * @return the time to wait, or empty when nothing says
	 */
	public Optional<Duration> getRetryAfter() {
		return Optional.ofNullable(this.retryAfter);
	}

}
