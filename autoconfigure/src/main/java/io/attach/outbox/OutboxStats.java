package io.attach.outbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How much work an outbox holds.
 *
 * @param queued items waiting for delivery
 * @param parked items that failed permanently and wait for an operator
 * @param oldest when the oldest waiting item was enqueued, or {@code null} when none waits
 * @author attach
 */
public record OutboxStats(long queued, long parked, @Nullable Instant oldest) {

	static final OutboxStats EMPTY = new OutboxStats(0, 0, null);

}
