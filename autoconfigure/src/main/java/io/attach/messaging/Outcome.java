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
	 * Deliver it again, as the next attempt, after a delay.
	 * @param delay the delay
	 * @param reason why it failed
	 */
	record Retry(Duration delay, String reason) implements Outcome {
	}

	/**
	 * Park it for an operator.
	 * @param reason why
	 */
	record Park(String reason) implements Outcome {
	}

}
