package io.attach.storage;

import org.jspecify.annotations.Nullable;

/**
 * A key breaks the grammar every {@link FileStorage} backend shares ({@link StorageKeys}).
 *
 * @author attach
 */
public class InvalidStorageKeyException extends StorageException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 */
	public InvalidStorageKeyException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
