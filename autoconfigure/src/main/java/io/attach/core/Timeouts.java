package io.attach.core;

import java.time.Duration;

/**
 * Checks the timeouts attach hands to clients, which must never mean "wait forever".
 *
 * @author attach
 */
public final class Timeouts {

	private Timeouts() {
	}

	/**
	 * Returns the timeout if it is positive.
	 * @param timeout a timeout from configuration
	 * @return the same timeout
	 * @throws IllegalArgumentException if it is zero or negative, which drivers read as no timeout at all
	 */
	public static Duration positive(Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("Timeouts must be positive: attach never waits forever");
		}
		return timeout;
	}

}
