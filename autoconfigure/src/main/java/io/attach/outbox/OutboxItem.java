package io.attach.outbox;

import java.time.Instant;

/**
 * One piece of work waiting in an {@link OutboxStore}.
 *
 * @param sequence the store's enqueue order
 * @param message what was enqueued: id, payload and envelope
 * @param enqueuedAt when the item was enqueued
 * @param attempts how many delivery attempts failed so far
 * @author attach
 */
public record OutboxItem(long sequence, OutboxMessage message, Instant enqueuedAt, int attempts) {

	/**
	 * Creates an item without an envelope, as a mail is.
	 * @param sequence the store's enqueue order
	 * @param id the stable id
	 * @param payload the bytes to deliver
	 * @param enqueuedAt when the item was enqueued
	 * @param attempts how many delivery attempts failed so far
	 */
	public OutboxItem(long sequence, String id, byte[] payload, Instant enqueuedAt, int attempts) {
		this(sequence, OutboxMessage.of(id, payload), enqueuedAt, attempts);
	}

	/**
	 * Returns the stable id receivers drop duplicates by.
	 * @return the id, such as a mail's {@code Message-ID}
	 */
	public String id() {
		return this.message.id();
	}

	/**
	 * Returns the bytes to deliver.
	 * @return the payload
	 */
	public byte[] payload() {
		return this.message.payload();
	}

	@Override
	public String toString() {
		return "OutboxItem[" + this.sequence + ", " + id() + "]";
	}

}
