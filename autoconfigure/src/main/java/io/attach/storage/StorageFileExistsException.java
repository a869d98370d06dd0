package io.attach.storage;

import org.jspecify.annotations.Nullable;

/**
 * A file is already stored under the key a {@link FileStorage} write was told not to replace.
 *
 * @author attach
 */
public class StorageFileExistsException extends StorageException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 */
	public StorageFileExistsException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
