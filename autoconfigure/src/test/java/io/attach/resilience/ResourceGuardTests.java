package io.attach.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link ResourceGuard}'s breaker as the health check moves it.
 *
 * @author attach
 */
class ResourceGuardTests {

	private static final AttachedResource DATABASE = new AttachedResource("database",
			ResourceKinds.named("database").orElseThrow(), "DATABASE_URL",
			ResourceUrl.of("DATABASE_URL", "postgres://db/myapp"), ReadinessRole.REQUIRED);

	private final ResourceGuard guard = new ResourceGuard(DATABASE, breaker(), null,
			"attach.guard.resources.database.max-waiting-calls", null);

	private final AtomicInteger calls = new AtomicInteger();

	@Test
	void whileTheCheckSeesTheResourceDownThenNoRequestIsLetThroughAsAProbeHoweverLongItWaited() throws Exception {
		this.guard.markDown(Duration.ofMinutes(1));
		// Longer than the open wait: a breaker opened by time would now let the next request probe, and wait out the
		// client's timeouts against a database the check knows is down.
		Thread.sleep(200);
		assertThatIllegalStateException().isThrownBy(this::call).withMessageContaining("is not called");
		assertThat(this.calls).hasValue(0);
		assertThat(this.guard.getState()).isEqualTo(State.FORCED_OPEN);
	}

	@Test
	void whenTheCheckStopsReportingThenTheHeldBreakerFallsBackToItsOwnOpenWait() throws Exception {
		this.guard.markDown(Duration.ofMillis(50));
		Thread.sleep(100);
		// The hold ran out without another DOWN: the breaker is open on its own timer, from now.
		assertThatIllegalStateException().isThrownBy(this::call);
		assertThat(this.guard.getState()).isEqualTo(State.OPEN);
		Thread.sleep(200);
		assertThat(call()).isEqualTo("ok");
		assertThat(this.guard.getState()).isEqualTo(State.CLOSED);
	}

	@Test
	void whenTheCheckSeesTheResourceUpAgainThenTheNextRequestProbesAndClosesTheBreaker() throws Exception {
		this.guard.markDown(Duration.ofMinutes(1));
		this.guard.markUp();
		assertThat(call()).isEqualTo("ok");
		assertThat(this.guard.getState()).isEqualTo(State.CLOSED);
	}

	@Test
	void whenTheBreakerIsHeldOpenThenTheRefusalSaysWhenToRetry() {
		this.guard.markDown(Duration.ofMinutes(1));
		assertThatIllegalStateException().isThrownBy(this::call).withMessageContaining("retry in 1 s");
	}

	private static ResourceCircuitBreaker breaker() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		registry.addConfiguration("database", CircuitBreakerConfig.custom()
			.waitDurationInOpenState(Duration.ofMillis(50))
			.permittedNumberOfCallsInHalfOpenState(1)
			.build());
		return new ResourceCircuitBreakers(registry, TimeLimiterRegistry.ofDefaults(), null, false)
			.forResource(DATABASE);
	}

	private String call() {
		return this.guard.call(() -> {
			this.calls.incrementAndGet();
			return "ok";
		}, (rejection) -> new IllegalStateException(rejection.message()));
	}

}
