package io.attach.outbox;

import java.time.Instant;

/**
 * One piece of work waiting in an {@link OutboxStore}.
 *
 * @param sequence the store's enqueue order
 * @param id the stable id receivers drop duplicates by, such as a mail's {@code Message-ID}
 * @param payload the bytes to deliver
 * @param enqueuedAt when the item was enqueued
 * @param attempts how many delivery attempts failed so far
 * @author attach
 */
public record OutboxItem(long sequence, String id, byte[] payload, Instant enqueuedAt, int attempts) {

	@Override
	public String toString() {
		return "OutboxItem[" + this.sequence + ", " + this.id + "]";
	}

}
