package io.attach.storage;

/**
 * Reading the caller's content failed while the local backend stored it, so nothing was stored; the store itself is
 * fine, which tells it from a failing disk (the URL handler answers the one 400 and the other 500).
 *
 * @author attach
 */
final class LocalSourceException extends StorageException {

	private static final long serialVersionUID = 1L;

	LocalSourceException(String message, Throwable cause) {
		super(message, cause);
	}

}
