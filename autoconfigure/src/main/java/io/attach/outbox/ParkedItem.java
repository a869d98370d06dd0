package io.attach.outbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A parked item of an {@link OutboxStore}, as an operator sees it: never its payload.
 *
 * @param id the item's stable id
 * @param attempts how many delivery attempts failed, or 0 when the store does not know (a spool directory after a
 * restart)
 * @param lastError why it was parked, or {@code null} when not known
 * @param enqueuedAt when it was enqueued, or {@code null} when its file cannot be read
 * @author attach
 */
public record ParkedItem(String id, int attempts, @Nullable String lastError, @Nullable Instant enqueuedAt) {

}
