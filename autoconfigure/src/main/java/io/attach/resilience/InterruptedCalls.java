package io.attach.resilience;

import java.util.function.Predicate;

/**
 * Tells a circuit breaker to ignore a call that failed because its own thread was interrupted, such as a caller
 * cancelled while it waited for a pooled connection: that says nothing about the resource. Named by the
 * {@code ignore-exception-predicate} of attach's breaker defaults, so it needs a public no-argument constructor.
 *
 * @author attach
 */
public final class InterruptedCalls implements Predicate<Throwable> {

	@Override
	public boolean test(Throwable failure) {
		// Called on the caller's thread; clients such as Hikari restore the interrupt before they throw.
		if (Thread.currentThread().isInterrupted()) {
			return true;
		}
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InterruptedException) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

}
