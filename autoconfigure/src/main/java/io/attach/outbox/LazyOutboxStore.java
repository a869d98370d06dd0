package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * An {@link OutboxStore} created, with its table or directory, only when its channel first stores or reads an item:
 * for a channel that many applications have but few use, such as in-process messages, so that an application that
 * never publishes gets no outbox table and no spool directory.
 *
 * @author attach
 */
final class LazyOutboxStore implements OutboxStore {

	private final Supplier<OutboxStore> supplier;

	private volatile @Nullable OutboxStore store;

	LazyOutboxStore(Supplier<OutboxStore> supplier) {
		this.supplier = supplier;
	}

	private OutboxStore store() {
		OutboxStore created = this.store;
		if (created == null) {
			synchronized (this) {
				created = this.store;
				if (created == null) {
					created = create();
					this.store = created;
				}
			}
		}
		return created;
	}

	// Off the caller's thread: the first item is often enqueued inside the caller's transaction, which must not run
	// the store's schema statements (on PostgreSQL a failed probe aborts the whole transaction).
	private OutboxStore create() {
		FutureTask<OutboxStore> creation = new FutureTask<>(this.supplier::get);
		Thread thread = new Thread(creation, "attach-outbox-store");
		thread.setDaemon(true);
		thread.start();
		try {
			return creation.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException("Could not create the outbox store", cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating the outbox store", ex);
		}
	}

	@Override
	public void add(String channel, OutboxMessage message) {
		store().add(channel, message);
	}

	@Override
	public boolean initialize() {
		return store().initialize();
	}

	@Override
	public List<OutboxItem> claim(String channel, int max, Duration lease) {
		return store().claim(channel, max, lease);
	}

	@Override
	public void delivered(String channel, OutboxItem item) {
		store().delivered(channel, item);
	}

	@Override
	public void delivered(String channel, List<OutboxItem> items) {
		store().delivered(channel, items);
	}

	@Override
	public void retry(String channel, OutboxItem item, Instant notBefore, String error) {
		store().retry(channel, item, notBefore, error);
	}

	@Override
	public void release(String channel, List<OutboxItem> items) {
		store().release(channel, items);
	}

	@Override
	public void park(String channel, OutboxItem item, String reason) {
		store().park(channel, item, reason);
	}

	@Override
	public int requeueParked(String channel) {
		return store().requeueParked(channel);
	}

	@Override
	public List<ParkedItem> parked(String channel, int limit) {
		OutboxStore created = this.store;
		return (created != null) ? created.parked(channel, limit) : List.of();
	}

	@Override
	public boolean discardParked(String channel, String id) {
		return store().discardParked(channel, id);
	}

	@Override
	public boolean requeueParked(String channel, String id) {
		return store().requeueParked(channel, id);
	}

	@Override
	public OutboxStats stats(String channel) {
		// Nothing was ever stored: asking would create the table only to count nothing.
		OutboxStore created = this.store;
		return (created != null) ? created.stats(channel) : OutboxStats.EMPTY;
	}

	@Override
	public String location() {
		OutboxStore created = this.store;
		return (created != null) ? created.location() : "outbox store (created with the first item)";
	}

}
