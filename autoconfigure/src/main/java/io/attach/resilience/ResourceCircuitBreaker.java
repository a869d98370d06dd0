package io.attach.resilience;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

import io.attach.core.AttachedResource;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;

/**
 * Guards the calls attach makes to one attached resource with its circuit breaker, on the caller's thread.
 * <p>
 * No time limiter moves the call to another thread, so transactions and MDC stay intact; the client's own
 * timeouts bound each call. Every call is timed under {@code attach.resource.calls} with its outcome.
 *
 * @author attach
 */
public final class ResourceCircuitBreaker {

	private final AttachedResource resource;

	private final CircuitBreaker circuitBreaker;

	private final io.github.resilience4j.circuitbreaker.CircuitBreaker state;

	private final @Nullable Timer succeeded;

	private final @Nullable Timer failed;

	private final @Nullable Timer notPermitted;

	// Whether attach itself forced the breaker open, because the resource's guard found it down: only then does
	// finding the resource up undo FORCED_OPEN. Anyone else's is a deliberate choice that attach leaves alone.
	private volatile boolean heldOpenByAttach;

	ResourceCircuitBreaker(AttachedResource resource, CircuitBreaker circuitBreaker,
			io.github.resilience4j.circuitbreaker.CircuitBreaker state, @Nullable MeterRegistry meterRegistry) {
		this.resource = resource;
		this.circuitBreaker = circuitBreaker;
		this.state = state;
		// Registered once: the hot path only records.
		this.succeeded = ResourceCallTimers.timer(meterRegistry, resource, "success");
		this.failed = ResourceCallTimers.timer(meterRegistry, resource, "failure");
		this.notPermitted = ResourceCallTimers.timer(meterRegistry, resource, "not_permitted");
		state.getEventPublisher().onStateTransition((event) -> {
			if (event.getStateTransition().getToState() != State.FORCED_OPEN) {
				this.heldOpenByAttach = false;
			}
		});
	}

	/**
	 * Runs a call through the breaker. When the breaker is open the call is not made at all.
	 * @param <T> the result type
	 * @param call the call to the resource
	 * @param fallback what to return instead, given the failure or a {@link CallNotPermittedException}
	 * @return the call's result, or the fallback's
	 */
	public <T> T run(Supplier<T> call, Function<Throwable, T> fallback) {
		long start = System.nanoTime();
		return this.circuitBreaker.run(() -> {
			T result = call.get();
			ResourceCallTimers.record(this.succeeded, start);
			return result;
		}, (failure) -> {
			ResourceCallTimers.record((failure instanceof CallNotPermittedException) ? this.notPermitted : this.failed, start);
			return fallback.apply(failure);
		});
	}

	/**
	 * Runs an asynchronous call through the breaker, recording its outcome when it completes. When the breaker is
	 * open the call is not made at all.
	 * @param <T> the result type
	 * @param call the call to the resource
	 * @param fallback what to complete with instead, given the failure or a {@link CallNotPermittedException}
	 * @return the call's result, or the fallback's
	 */
	public <T> CompletableFuture<T> runAsync(Supplier<CompletionStage<T>> call, Function<Throwable, T> fallback) {
		long start = System.nanoTime();
		return io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateCompletionStage(this.state, call)
			.get()
			.toCompletableFuture()
			.handle((result, failure) -> {
				if (failure == null) {
					ResourceCallTimers.record(this.succeeded, start);
					return result;
				}
				Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
						? failure.getCause() : failure;
				ResourceCallTimers.record((cause instanceof CallNotPermittedException) ? this.notPermitted : this.failed, start);
				return fallback.apply(cause);
			});
	}

	/**
	 * Lets an open breaker probe with the next call at once, because the resource was found up again, rather than
	 * wait out its open state. A breaker forced open by anyone but attach stays so.
	 */
	public void markUp() {
		State current = this.state.getState();
		if (current == State.OPEN || (current == State.FORCED_OPEN && this.heldOpenByAttach)) {
			try {
				this.state.transitionToHalfOpenState();
			}
			catch (IllegalStateTransitionException ex) {
				// Another thread moved the breaker first; its state is as good as ours.
			}
		}
	}

	/**
	 * Forces the breaker open for attach, because the resource was found down, unless it is already forced open or
	 * turned off.
	 */
	void holdOpen() {
		State current = this.state.getState();
		if (current == State.CLOSED || current == State.HALF_OPEN || current == State.OPEN) {
			// Marked first, so that a transition out of FORCED_OPEN in between clears the mark rather than miss it.
			this.heldOpenByAttach = true;
			try {
				this.state.transitionToForcedOpenState();
			}
			catch (IllegalStateTransitionException ex) {
				// Another thread moved the breaker first: it is not attach's hold.
				this.heldOpenByAttach = false;
			}
		}
	}

	/**
	 * Returns the breaker's current state.
	 * @return the state, such as {@code CLOSED} or {@code OPEN}
	 */
	public State getState() {
		return this.state.getState();
	}

	/**
	 * Returns the resource this breaker guards.
	 * @return the resource
	 */
	public AttachedResource getResource() {
		return this.resource;
	}

	// For a guard that calls with checked exceptions, and moves the breaker when a health check sees the resource.
	io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j() {
		return this.state;
	}

}
