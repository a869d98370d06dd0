package io.attach.storage;

import org.jspecify.annotations.Nullable;

/**
 * No file is stored under the key a {@link FileStorage} call named.
 *
 * @author attach
 */
public class StorageFileNotFoundException extends StorageException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 */
	public StorageFileNotFoundException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
