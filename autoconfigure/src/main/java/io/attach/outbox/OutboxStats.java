package io.attach.outbox;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How much work an outbox holds.
 *
 * @param queued items waiting for delivery
 * @param parked items that failed permanently and wait for an operator
 * @param oldest when the oldest waiting item was enqueued, or {@code null} when none waits
 * @param unassigned items of the channel that belong to no application, queued by an earlier version, which no
 * instance delivers until they are assigned or adopted
 * @author attach
 */
public record OutboxStats(long queued, long parked, @Nullable Instant oldest, long unassigned) {

	static final OutboxStats EMPTY = new OutboxStats(0, 0, null);

	/**
	 * Creates counts of a store whose items always belong to an application, such as a spool directory.
	 * @param queued items waiting for delivery
	 * @param parked items that failed permanently and wait for an operator
	 * @param oldest when the oldest waiting item was enqueued, or {@code null} when none waits
	 */
	public OutboxStats(long queued, long parked, @Nullable Instant oldest) {
		this(queued, parked, oldest, 0);
	}

}
