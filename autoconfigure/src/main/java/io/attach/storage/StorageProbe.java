package io.attach.storage;

/**
 * A bounded check that a {@link StorageBackend}'s store works: the root directory writable, or the bucket reachable.
 *
 * @author attach
 */
@FunctionalInterface
interface StorageProbe {

	/**
	 * Checks the store, within the backend's timeouts.
	 * @throws Exception if it does not work, saying why
	 */
	void probe() throws Exception;

}
