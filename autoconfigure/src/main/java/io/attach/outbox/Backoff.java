package io.attach.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import io.attach.core.Timeouts;

/**
 * Exponential backoff with jitter: the n-th wait is drawn from the upper half of {@code initial * multiplier^(n-1)},
 * capped, so that instances recovering together do not retry in step.
 *
 * @param initial the first wait before jitter
 * @param multiplier the growth factor per failure
 * @param max the longest wait before jitter
 * @author attach
 */
public record Backoff(Duration initial, double multiplier, Duration max) {

	/**
	 * Returns the wait after a number of consecutive failures.
	 * @param failures the failures so far, at least one
	 * @return the wait
	 */
	public Duration after(int failures) {
		// Whole milliseconds rounded up: a setting under a millisecond must not make the relay spin.
		double exponential = Timeouts.millis(this.initial) * Math.pow(this.multiplier, Math.max(0, failures - 1));
		long ceiling = (long) Math.min(exponential, Timeouts.millis(this.max));
		long half = ceiling / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
	}

}
