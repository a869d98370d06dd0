package io.attach.messaging;

import java.time.Duration;

/**
 * What a backend does with a message once {@link Dispatch} has run its handler: acknowledge it, deliver it again
 * after a delay, or park it.
 *
 * @author attach
 */
sealed interface Outcome {

	/**
	 * Handled now: acknowledge it.
	 */
	record Handled() implements Outcome {
	}

	/**
	 * Handled before (its id is in the inbox): acknowledge it without calling the handler.
	 */
	record Duplicate() implements Outcome {
	}

	/**
	 * Deliver it again after a delay: as the next attempt when the handler failed, as the same attempt when the
	 * infrastructure did (the database the inbox is in was unreachable), so that an outage parks nothing.
	 * @param delay the delay
	 * @param reason why it failed
	 * @param counts whether the failure counts as an attempt: the redelivery is then the next attempt
	 */
	record Retry(Duration delay, String reason, boolean counts) implements Outcome {

		/**
		 * Deliver it again, as the next attempt, after a delay.
		 * @param delay the delay
		 * @param reason why the handler failed
		 */
		Retry(Duration delay, String reason) {
			this(delay, reason, true);
		}

		/**
		 * Returns the attempt the redelivery is.
		 * @param attempt the attempt that failed
		 * @return the next attempt, or the same when the failure does not count
		 */
		int next(int attempt) {
			return this.counts ? attempt + 1 : attempt;
		}

	}

	/**
	 * Park it for an operator.
	 * @param reason why
	 */
	record Park(String reason) implements Outcome {
	}

}
