package io.attach.outbox;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Items one relay thread leased, and how far it got, shared with a stop that gives back what is left.
 *
 * @author attach
 */
final class RelayBatch {

	private final List<OutboxItem> items;

	private int started = -1;

	private boolean givenBack;

	RelayBatch(List<OutboxItem> items) {
		this.items = items;
	}

	List<OutboxItem> items() {
		return this.items;
	}

	/**
	 * Marks an item as started, unless the batch was given back or the thread is told not to go on.
	 * @param index the item's index
	 * @param go whether the thread may go on
	 * @return whether the item is started
	 */
	synchronized boolean start(int index, boolean go) {
		if (!go || this.givenBack) {
			return false;
		}
		this.started = index;
		return true;
	}

	/**
	 * Tells whether an item is still this batch's to settle.
	 * @param index the item's index
	 * @return whether it holds the item
	 */
	synchronized boolean holds(int index) {
		// Once given back, only an item this thread started is still its own.
		return !this.givenBack || index <= this.started;
	}

	synchronized @Nullable OutboxItem inFlight() {
		return (this.started >= 0) ? this.items.get(this.started) : null;
	}

	/**
	 * Takes the items from an index on, to give them back, unless they were taken already.
	 * @param from the first index
	 * @return the items, or {@code null} when taken already
	 */
	synchronized @Nullable List<OutboxItem> takeRest(int from) {
		// Whoever takes the rest first gives it back; the other must not touch items leased again since.
		if (this.givenBack) {
			return null;
		}
		this.givenBack = true;
		return this.items.subList(Math.min(from, this.items.size()), this.items.size());
	}

	/**
	 * Takes the items after the one in flight, to give them back, unless they were taken already.
	 * @return the items, or {@code null} when taken already
	 */
	synchronized @Nullable List<OutboxItem> takeRest() {
		return takeRest(this.started + 1);
	}

}
