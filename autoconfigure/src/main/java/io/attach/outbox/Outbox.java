package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.attach.core.AttachedResource;
import io.attach.core.ResourceDetailsContributor;

/**
 * The durable queue in front of one attached resource: work is stored first, in the caller's transaction where the
 * store can join one, and its {@link OutboxRelay} delivers it once it is safe.
 *
 * @author attach
 */
public final class Outbox implements ResourceDetailsContributor {

	private final String channel;

	private final OutboxStore store;

	private final OutboxRelay relay;

	/**
	 * Creates an outbox.
	 * @param channel the channel, named after the resource, such as {@code mail}
	 * @param store where items wait
	 * @param relay what delivers them
	 */
	public Outbox(String channel, OutboxStore store, OutboxRelay relay) {
		this.channel = channel;
		this.store = store;
		this.relay = relay;
	}

	/**
	 * Stores an item for delivery; the relay is woken once the caller's transaction, if any, has committed.
	 * @param id the item's stable id, which receivers drop duplicates by
	 * @param payload the bytes to deliver
	 */
	public void enqueue(String id, byte[] payload) {
		this.store.add(this.channel, id, payload);
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
