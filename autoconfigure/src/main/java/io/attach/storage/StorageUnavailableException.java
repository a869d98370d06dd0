package io.attach.storage;

import org.jspecify.annotations.Nullable;

/**
 * The store behind a {@link FileStorage} cannot be reached, answered too slowly, or its circuit breaker is open: try again later.
 *
 * @author attach
 */
public class StorageUnavailableException extends StorageException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 */
	public StorageUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
