package io.attach.resilience;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BreakerDefaults} and the configuration {@link ResourceCircuitBreakers} builds from them.
 *
 * @author attach
 */
class BreakerDefaultsTests {

	@Test
	void whenNoPropertyConfiguresABreakerThenItGetsEveryDefaultThePropertiesSpell() {
		CircuitBreakerConfig config = ResourceCircuitBreakers.defaults();
		assertThat(config.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
		assertThat(config.getSlidingWindowSize()).isEqualTo(5);
		assertThat(config.getMinimumNumberOfCalls()).isEqualTo(5);
		assertThat(config.getFailureRateThreshold()).isEqualTo(100);
		assertThat(config.getSlowCallRateThreshold()).isEqualTo(100);
		assertThat(config.getSlowCallDurationThreshold()).isEqualTo(Duration.ofSeconds(2));
		assertThat(config.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(5000);
		assertThat(config.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(1);
		assertThat(config.getIgnoreExceptionPredicate().test(new IllegalStateException(new InterruptedException())))
			.isTrue();
		assertThat(config.getIgnoreExceptionPredicate().test(new IllegalStateException())).isFalse();
	}

}
