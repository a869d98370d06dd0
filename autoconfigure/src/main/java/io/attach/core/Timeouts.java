package io.attach.core;

import java.time.Duration;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;

/**
 * The one rule for the timeouts attach hands to clients: positive, because clients read zero as "wait forever", and
 * given in whole milliseconds rounded up, so that a timeout under a millisecond never becomes zero on the way.
 *
 * @author attach
 */
public final class Timeouts {

	private static final String NEVER_FOREVER = "attach never waits forever";

	private Timeouts() {
	}

	/**
	 * Returns a timeout from a setting if it is positive.
	 * @param setting the property the timeout came from, such as {@code attach.jdbc.socket-timeout}
	 * @param timeout the timeout
	 * @return the same timeout
	 * @throws InvalidSettingException naming the setting if the timeout is zero or negative
	 */
	public static Duration requirePositive(String setting, Duration timeout) {
		return requirePositive(setting, timeout, "a client", null);
	}

	/**
	 * Returns a timeout from a setting if it is positive.
	 * @param setting the property the timeout came from, such as {@code spring.data.redis.timeout}
	 * @param timeout the timeout
	 * @param client what reads the timeout, such as {@code "Lettuce"}, named in the error
	 * @param fallback the setting used if this one is removed, or {@code null}
	 * @return the same timeout
	 * @throws InvalidSettingException naming the setting if the timeout is zero or negative
	 */
	public static Duration requirePositive(String setting, Duration timeout, String client,
			@Nullable String fallback) {
		return requirePositive(timeout, client, "a positive duration such as 500ms", fallback,
				(problem, action) -> new InvalidSettingException(setting,
						"is " + DurationStyle.SIMPLE.print(timeout) + ", " + problem, action));
	}

	/**
	 * Returns a timeout if it is positive, or throws the error its caller builds, for timeouts read from a URL or a
	 * client's own settings.
	 * @param <E> the type of the error
	 * @param timeout the timeout as read
	 * @param client what reads the timeout, such as {@code "Lettuce"}, named in the problem
	 * @param expected what to give instead, such as {@code "a positive number of milliseconds"}
	 * @param fallback the setting used if this one is removed, or {@code null}
	 * @param error builds the error from the problem ("which Lettuce reads as waiting forever", completing "is 0,
	 * …") and the action
	 * @return the same timeout
	 * @throws E if the timeout is zero or negative
	 */
	public static <E extends RuntimeException> Duration requirePositive(Duration timeout, String client,
			String expected, @Nullable String fallback, BiFunction<String, String, E> error) {
		if (timeout.isZero() || timeout.isNegative()) {
			String problem = timeout.isZero() ? "which " + client + " reads as waiting forever"
					: "which is not a positive duration";
			String fallbackAction = (fallback != null) ? ", or remove it to use " + fallback : "";
			throw error.apply(problem, "Give " + expected + fallbackAction + ": " + NEVER_FOREVER + ".");
		}
		return timeout;
	}

	/**
	 * Returns a positive timeout as the whole milliseconds a client takes: rounded up, so that under a millisecond
	 * is 1 rather than the 0 that clients read as no timeout, and at most {@link Integer#MAX_VALUE} (24 days), the
	 * most that clients taking an {@code int} can hold.
	 * @param timeout a positive timeout
	 * @return the milliseconds, from 1 to {@link Integer#MAX_VALUE}
	 */
	public static int millis(Duration timeout) {
		if (timeout.isZero() || timeout.isNegative()) {
			throw new IllegalArgumentException("Timeout " + timeout + " is not positive: " + NEVER_FOREVER);
		}
		if (timeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
			return Integer.MAX_VALUE;
		}
		return (int) timeout.plusNanos(999_999).toMillis();
	}

}
