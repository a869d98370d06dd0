package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.attach.core.AttachedResource;
import io.attach.core.ResourceDetailsContributor;

import org.springframework.context.SmartLifecycle;

/**
 * The durable queue of one channel in front of one attached resource: work is stored first, in the caller's
 * transaction where the store can join one, and its {@link OutboxRelay} delivers it once it is safe. The outbox is
 * the bean, and starts and stops its relay.
 *
 * @author attach
 */
public final class Outbox implements ResourceDetailsContributor, SmartLifecycle {

	private final String channel;

	private final OutboxStore store;

	private final OutboxRelay relay;

	private final List<Consumer<Outbox>> startActions;

	private final boolean onDemand;

	private boolean started;

	// Set when the context stops the outbox: demand after that, such as a handler publishing on a retry thread, must
	// not start a relay nobody stops again, polling a store that is closed by then.
	private boolean stopped;

	/**
	 * Creates an outbox.
	 * @param channel the channel, named after the resource, such as {@code mail}
	 * @param store where items wait
	 * @param relay what delivers them
	 */
	public Outbox(String channel, OutboxStore store, OutboxRelay relay) {
		this(channel, store, relay, List.of(), false);
	}

	Outbox(String channel, OutboxStore store, OutboxRelay relay, List<Consumer<Outbox>> startActions,
			boolean onDemand) {
		this.channel = channel;
		this.store = store;
		this.relay = relay;
		this.startActions = List.copyOf(startActions);
		this.onDemand = onDemand;
	}

	/**
	 * Stores an item without an envelope, such as a mail; the relay is woken once the caller's transaction, if any,
	 * has committed.
	 * @param id the item's stable id, which receivers drop duplicates by
	 * @param payload the bytes to deliver
	 */
	public void enqueue(String id, byte[] payload) {
		enqueue(OutboxMessage.of(id, payload));
	}

	/**
	 * Stores an item; the relay is woken once the caller's transaction, if any, has committed.
	 * @param message the item's id, payload and envelope
	 */
	public void enqueue(OutboxMessage message) {
		this.store.add(this.channel, message);
		if (this.onDemand) {
			// The first item is the demand: from now on the relay runs, and stops with the context.
			startOnDemand();
		}
		if (!TransactionHook.afterCompletion(this.relay::wake, () -> {
		}, this.relay::wake)) {
			this.relay.wake();
		}
	}

	/**
	 * Makes every parked item due again, after the cause (such as wrong credentials) was fixed.
	 * @return the number of items requeued
	 */
	public int requeueParked() {
		int count = this.store.requeueParked(this.channel);
		this.relay.wake();
		return count;
	}

	/**
	 * Lists the parked items, oldest first, without their payloads.
	 * @param limit at most how many
	 * @return the parked items
	 */
	public List<ParkedItem> parked(int limit) {
		return this.store.parked(this.channel, limit);
	}

	/**
	 * Makes the parked items of one id due again.
	 * @param id the items' id
	 * @return whether any was parked
	 */
	public boolean requeueParked(String id) {
		boolean requeued = this.store.requeueParked(this.channel, id);
		if (requeued) {
			this.relay.wake();
		}
		return requeued;
	}

	/**
	 * Deletes the parked items of one id, for good: they are never delivered.
	 * @param id the items' id
	 * @return whether any was parked
	 */
	public boolean discardParked(String id) {
		return this.store.discardParked(this.channel, id);
	}

	/**
	 * Tells the relay that the resource was found up again: it ends its backoff and lets the breaker probe at once.
	 */
	public void recovered() {
		this.relay.recovered();
	}

	/**
	 * Returns the channel, named after the resource the outbox serves.
	 * @return the channel, such as {@code mail}
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * Returns the counts as of the relay's last round.
	 * @return the counts
	 */
	public OutboxStats getStats() {
		return this.relay.getStats();
	}

	/**
	 * Starts the relay of an outbox that starts on demand, such as with its first item or subscription, unless the
	 * context has stopped it since.
	 */
	public synchronized void startOnDemand() {
		if (!this.stopped) {
			startRelay();
		}
	}

	@Override
	public synchronized void start() {
		this.stopped = false;
		startRelay();
	}

	private void startRelay() {
		if (!this.started) {
			this.started = true;
			// Hooks that need the whole context, such as the health check the outbox wakes on, exist by now.
			this.startActions.forEach((action) -> action.accept(this));
		}
		this.relay.start();
	}

	@Override
	public boolean isAutoStartup() {
		return !this.onDemand;
	}

	@Override
	public void stop() {
		synchronized (this) {
			this.stopped = true;
		}
		this.relay.stop();
	}

	@Override
	public void stop(Runnable callback) {
		synchronized (this) {
			this.stopped = true;
		}
		this.relay.stop(callback);
	}

	@Override
	public boolean isRunning() {
		return this.relay.isRunning();
	}

	@Override
	public int getPhase() {
		// After the web server's graceful shutdown (DEFAULT_PHASE - 1024), so that work queued by the last requests
		// still leaves from this instance, and before the server stops (DEFAULT_PHASE - 2048).
		return SmartLifecycle.DEFAULT_PHASE - 1536;
	}

	@Override
	public void contribute(AttachedResource resource, Map<String, Object> details) {
		if (resource.name().equals(this.channel)) {
			OutboxStats stats = getStats();
			Map<String, Object> outbox = new LinkedHashMap<>();
			outbox.put("queued", stats.queued());
			outbox.put("parked", stats.parked());
			if (stats.unassigned() > 0) {
				outbox.put("unassigned", stats.unassigned());
			}
			if (stats.oldest() != null) {
				outbox.put("oldestAge", Duration.between(stats.oldest(), Instant.now()).toString());
			}
			outbox.put("store", this.store.location());
			details.put("outbox", outbox);
		}
	}

}
