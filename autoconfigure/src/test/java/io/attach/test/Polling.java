package io.attach.test;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Polls until a value satisfies a condition, instead of sleeping a guessed time.
 *
 * @author attach
 */
public final class Polling {

	private Polling() {
	}

	/**
	 * Reads a value until it satisfies a condition, failing the test after 20 seconds.
	 * @param <T> the value's type
	 * @param value reads the value
	 * @param done the condition
	 * @return the first value that satisfies the condition
	 */
	public static <T> T until(Supplier<T> value, Predicate<T> done) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		T current = value.get();
		while (!done.test(current)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Still not done after 20 s: " + current);
			}
			try {
				// Short enough not to slow a test down, long enough not to hammer a server.
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while polling", ex);
			}
			current = value.get();
		}
		return current;
	}

}
