package io.attach.outbox;

/**
 * Hears what an {@link OutboxRelay} did with items, for metrics.
 *
 * @author attach
 */
public interface OutboxListener {

	/**
	 * A listener that does nothing.
	 */
	OutboxListener NONE = new OutboxListener() {
	};

	/**
	 * Items were delivered.
	 * @param count how many
	 */
	default void delivered(int count) {
	}

	/**
	 * Attempts failed and their items wait for another.
	 * @param count how many
	 */
	default void retried(int count) {
	}

	/**
	 * Items failed permanently and were parked.
	 * @param count how many
	 */
	default void parked(int count) {
	}

}
