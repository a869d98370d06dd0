package io.attach.resilience;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Circuit-breaker defaults for network services: open after five consecutive failed or slow calls, not
 * Resilience4j's window of 100; let one probe call through after five seconds; a call its own thread's interrupt
 * ended is no failure.
 * <p>
 * Spelled once, as properties: the environment post-processor writes them for every guarded resource, and
 * {@link ResourceCircuitBreakers} builds its fallback configuration from the same properties.
 *
 * @author attach
 */
final class BreakerDefaults {

	static final String PREFIX = "resilience4j.circuitbreaker.instances.";

	private static final int WINDOW = 5;

	private static final Duration SLOW_CALL = Duration.ofSeconds(2);

	private static final Duration OPEN = Duration.ofSeconds(5);

	// No Resilience4j types here: the environment post-processor loads this class without Resilience4j present.
	private BreakerDefaults() {
	}

	/**
	 * Returns the same defaults as {@code resilience4j.circuitbreaker.instances.<name>.*} properties, so that a
	 * user's property overrides one setting and keeps the others.
	 * @param name the resource name
	 * @return the properties
	 */
	static Map<String, Object> properties(String name) {
		String prefix = PREFIX + name + ".";
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(prefix + "sliding-window-type", "COUNT_BASED");
		properties.put(prefix + "sliding-window-size", WINDOW);
		properties.put(prefix + "minimum-number-of-calls", WINDOW);
		properties.put(prefix + "failure-rate-threshold", 100);
		properties.put(prefix + "slow-call-rate-threshold", 100);
		properties.put(prefix + "slow-call-duration-threshold", SLOW_CALL.toMillis() + "ms");
		properties.put(prefix + "wait-duration-in-open-state", OPEN.toMillis() + "ms");
		properties.put(prefix + "permitted-number-of-calls-in-half-open-state", 1);
		properties.put(prefix + "ignore-exception-predicate", InterruptedCalls.class.getName());
		return properties;
	}

}
