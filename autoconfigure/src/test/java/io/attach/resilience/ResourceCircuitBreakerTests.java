package io.attach.resilience;

import java.time.Duration;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResourceCircuitBreaker} as a recovered resource moves it.
 *
 * @author attach
 */
class ResourceCircuitBreakerTests {

	private static final AttachedResource MAIL = new AttachedResource("mail", ResourceKinds.named("mail").orElseThrow(),
			"SMTP_URL", ResourceUrl.of("SMTP_URL", "smtp://mail.example.com:587"), ReadinessRole.DEGRADABLE);

	private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();

	private final ResourceCircuitBreakers breakers = new ResourceCircuitBreakers(this.registry,
			TimeLimiterRegistry.ofDefaults(), null, false);

	private final ResourceCircuitBreaker breaker = this.breakers.forResource(MAIL);

	private final CircuitBreaker state = this.registry.circuitBreaker("mail");

	@Test
	void whenOpenedByFailedCallsThenFindingTheResourceUpLetsTheNextCallProbe() {
		this.state.transitionToOpenState();
		this.breaker.markUp();
		assertThat(this.breaker.getState()).isEqualTo(State.HALF_OPEN);
	}

	@Test
	void whenTheApplicationForcedItOpenThenFindingTheResourceUpLeavesItForcedOpen() {
		this.state.transitionToForcedOpenState();
		this.breaker.markUp();
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
	}

	@Test
	void whenItsGuardHeldItOpenThenFindingTheResourceUpLetsTheNextCallProbe() {
		ResourceGuard guard = new ResourceGuards(this.breakers, new AttachGuardProperties(), null)
			.forResource(MAIL, 1)
			.orElseThrow();
		guard.markDown(Duration.ofMinutes(1));
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
		this.breaker.markUp();
		assertThat(this.breaker.getState()).isEqualTo(State.HALF_OPEN);
	}

	@Test
	void whenTheApplicationForcesItOpenAfterTheGuardsHoldEndedThenFindingTheResourceUpLeavesItForcedOpen() {
		ResourceGuard guard = new ResourceGuards(this.breakers, new AttachGuardProperties(), null)
			.forResource(MAIL, 1)
			.orElseThrow();
		guard.markDown(Duration.ofMinutes(1));
		guard.markUp();
		this.state.transitionToForcedOpenState();
		this.breaker.markUp();
		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
	}

}
