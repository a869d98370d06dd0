package io.attach.outbox;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until a value satisfies a condition, instead of sleeping a guessed time.
 *
 * @author attach
 */
final class Polling {

	private Polling() {
	}

	static <T> T until(Supplier<T> value, Predicate<T> done) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		T current = value.get();
		while (!done.test(current)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Still not done after 20 s: " + current);
			}
			Thread.onSpinWait();
			current = value.get();
		}
		return current;
	}

}
