package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Durable storage of outbox items, by channel; items stay until delivered or parked.
 *
 * @author attach
 */
public interface OutboxStore {

	/**
	 * Stores an item, as part of the caller's transaction where the store can take part in one.
	 * @param channel the channel, named after the resource, such as {@code mail}
	 * @param message the item's id, payload and envelope
	 */
	void add(String channel, OutboxMessage message);

	/**
	 * Stores an item without an envelope, as part of the caller's transaction where the store can take part in one.
	 * @param channel the channel, named after the resource, such as {@code mail}
	 * @param id the item's stable id
	 * @param payload the bytes to deliver
	 */
	default void add(String channel, String id, byte[] payload) {
		add(channel, OutboxMessage.of(id, payload));
	}

	/**
	 * Makes sure the store can be used, such as by creating or upgrading its table; a relay asks before every round
	 * until it can.
	 * @return whether the store is ready
	 */
	default boolean initialize() {
		return true;
	}

	/**
	 * Leases the next items that are due, in enqueue order, so that no other relay takes them meanwhile.
	 * @param channel the channel
	 * @param max the most items to lease
	 * @param lease how long the lease holds if this relay dies before settling the items
	 * @return the leased items, oldest first
	 */
	List<OutboxItem> claim(String channel, int max, Duration lease);

	/**
	 * Removes a delivered item.
	 * @param channel the channel
	 * @param item the item
	 */
	void delivered(String channel, OutboxItem item);

	/**
	 * Removes delivered items, together where the store can, such as in one statement.
	 * @param channel the channel
	 * @param items the items
	 */
	default void delivered(String channel, List<OutboxItem> items) {
		for (OutboxItem item : items) {
			delivered(channel, item);
		}
	}

	/**
	 * Counts a failed attempt and makes the item due again at the given time.
	 * @param channel the channel
	 * @param item the item
	 * @param notBefore when the item is due again
	 * @param error what went wrong, without secrets
	 */
	void retry(String channel, OutboxItem item, Instant notBefore, String error);

	/**
	 * Gives back leased items that were not attempted.
	 * @param channel the channel
	 * @param items the items
	 */
	void release(String channel, List<OutboxItem> items);

	/**
	 * Sets an item aside after a permanent failure; it is kept, and never retried until requeued.
	 * @param channel the channel
	 * @param item the item
	 * @param reason why delivery cannot succeed, without secrets
	 */
	void park(String channel, OutboxItem item, String reason);

	/**
	 * Makes every parked item of a channel due again, after an operator fixed the cause.
	 * @param channel the channel
	 * @return the number of items requeued
	 */
	int requeueParked(String channel);

	/**
	 * Lists a channel's parked items, oldest first.
	 * @param channel the channel
	 * @param limit at most how many
	 * @return the parked items
	 */
	default List<ParkedItem> parked(String channel, int limit) {
		throw new UnsupportedOperationException(location() + " cannot list its parked items");
	}

	/**
	 * Deletes a channel's parked items of one id, for good.
	 * @param channel the channel
	 * @param id the items' id
	 * @return whether any was parked
	 */
	default boolean discardParked(String channel, String id) {
		throw new UnsupportedOperationException(location() + " cannot discard a parked item");
	}

	/**
	 * Makes a channel's parked items of one id due again, after an operator fixed the cause.
	 * @param channel the channel
	 * @param id the items' id
	 * @return whether any was parked
	 */
	default boolean requeueParked(String channel, String id) {
		throw new UnsupportedOperationException(location() + " cannot requeue a parked item");
	}

	/**
	 * Counts a channel's items.
	 * @param channel the channel
	 * @return the counts
	 */
	OutboxStats stats(String channel);

	/**
	 * Says where the items are kept, for logs and endpoints.
	 * @return a description such as {@code table attach_outbox}
	 */
	String location();

}
