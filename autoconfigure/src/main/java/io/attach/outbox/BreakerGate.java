package io.attach.outbox;

import java.util.function.Supplier;

import io.attach.resilience.ResourceCircuitBreaker;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.jspecify.annotations.Nullable;

/**
 * Adapts a {@link ResourceCircuitBreaker} to a {@link DeliveryGate}: an open breaker is told by its
 * {@link CallNotPermittedException}, and a recovered resource lets it probe at once.
 *
 * @author attach
 */
final class BreakerGate implements DeliveryGate {

	private final ResourceCircuitBreaker breaker;

	BreakerGate(ResourceCircuitBreaker breaker) {
		this.breaker = breaker;
	}

	@Override
	public @Nullable Object call(Supplier<@Nullable Object> call) {
		return this.breaker.run(call, (failure) -> {
			if (failure instanceof CallNotPermittedException) {
				throw ServiceFailure.notPermitted(failure);
			}
			throw (failure instanceof ServiceFailure serviceFailure) ? serviceFailure
					: new ServiceFailure(String.valueOf(failure.getMessage()), failure);
		});
	}

	@Override
	public void recovered() {
		this.breaker.markUp();
	}

}
