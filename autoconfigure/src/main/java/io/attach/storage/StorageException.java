package io.attach.storage;

import org.jspecify.annotations.Nullable;

/**
 * A {@link FileStorage} call failed; its subclasses say why.
 *
 * @author attach
 */
public class StorageException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what happened
	 * @param cause the cause, or {@code null}
	 */
	public StorageException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
