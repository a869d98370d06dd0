package io.attach.resilience;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.attach.core.AttachedResource;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * Guards the calls the application makes to one attached resource on its request path: its circuit breaker fails
 * them at once while the resource is known to be down, and a bulkhead bounds how many may wait on it at once.
 * <p>
 * Both act on the caller's thread, so transactions and MDC stay intact. A refused call is never made and counts
 * as no failure of the resource. The background health check holds the breaker open while it sees the resource
 * down ({@link #markDown()}) and lets it probe again once it sees it up ({@link #markUp()}). Calls are timed under {@code attach.resource.calls}, a refusal by the bulkhead
 * with the outcome {@code rejected}.
 *
 * @author attach
 */
public final class ResourceGuard {

	private static final Duration MIN_RETRY_AFTER = Duration.ofSeconds(1);

	private final AttachedResource resource;

	private final ResourceCircuitBreaker circuitBreaker;

	private final CircuitBreaker breaker;

	private final @Nullable Bulkhead bulkhead;

	private final String bulkheadSetting;

	private final @Nullable Timer succeeded;

	private final @Nullable Timer failed;

	private final @Nullable Timer notPermitted;

	private final @Nullable Timer rejected;

	// When the breaker last opened, so that a refusal can say when to retry.
	private volatile long openedAt = System.nanoTime();

	// Until when the health check's last DOWN holds the breaker open: a check that stops reporting (the monitor
	// stopped, a check that never returns) must not hold it open for good.
	private volatile long heldUntil = System.nanoTime();

	ResourceGuard(AttachedResource resource, ResourceCircuitBreaker circuitBreaker, @Nullable Bulkhead bulkhead,
			String bulkheadSetting, @Nullable MeterRegistry meterRegistry) {
		this.resource = resource;
		this.circuitBreaker = circuitBreaker;
		this.breaker = circuitBreaker.resilience4j();
		this.bulkhead = bulkhead;
		this.bulkheadSetting = bulkheadSetting;
		this.succeeded = ResourceCallTimers.timer(meterRegistry, resource, "success");
		this.failed = ResourceCallTimers.timer(meterRegistry, resource, "failure");
		this.notPermitted = ResourceCallTimers.timer(meterRegistry, resource, "not_permitted");
		this.rejected = ResourceCallTimers.timer(meterRegistry, resource, "rejected");
		this.breaker.getEventPublisher().onStateTransition((event) -> {
			State to = event.getStateTransition().getToState();
			if (to == State.OPEN || to == State.FORCED_OPEN) {
				this.openedAt = System.nanoTime();
			}
		});
	}

	/**
	 * Makes a call unless the breaker is open or the bulkhead is full. Only a failure of the call itself, or its
	 * slowness, counts against the resource.
	 * @param <T> the result type
	 * @param <E> the exception the call and the refusal throw
	 * @param call the call to the resource
	 * @param refusal the exception to throw instead of making the call
	 * @return the call's result
	 * @throws E the call's own exception, or the refusal
	 */
	public <T, E extends Throwable> @Nullable T call(GuardedCall<T, E> call, Function<Rejection, ? extends E> refusal)
			throws E {
		long start = System.nanoTime();
		Bulkhead bulkhead = this.bulkhead;
		if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
			ResourceCallTimers.record(this.rejected, start);
			throw refusal.apply(new Rejection(this.resource,
					bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " calls are already waiting on it ("
							+ this.bulkheadSetting + ")",
					MIN_RETRY_AFTER));
		}
		try {
			if (this.breaker.getState() == State.FORCED_OPEN && System.nanoTime() - this.heldUntil > 0) {
				// No DOWN came to renew the hold: the breaker's own timer decides again.
				transition(this.breaker::transitionToOpenState);
			}
			if (!this.breaker.tryAcquirePermission()) {
				ResourceCallTimers.record(this.notPermitted, start);
				// Held open by the health check or opened by failed calls, it is open to the caller either way.
				State state = this.breaker.getState();
				throw refusal.apply(new Rejection(this.resource,
						"its circuit breaker is " + ((state == State.FORCED_OPEN) ? State.OPEN : state), retryAfter()));
			}
			try {
				@Nullable T result = call.call();
				long elapsed = System.nanoTime() - start;
				this.breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
				ResourceCallTimers.record(this.succeeded, start);
				return result;
			}
			catch (Throwable ex) {
				this.breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
				ResourceCallTimers.record(this.failed, start);
				throw ex;
			}
		}
		finally {
			if (bulkhead != null) {
				bulkhead.onComplete();
			}
		}
	}

	/**
	 * Holds the breaker open, because the resource was found down outside the request path: until the check sees it
	 * up again, no request is let through as a probe, since a probe would wait out the client's timeouts for nothing.
	 * @param holdFor how long this finding holds the breaker open unless another one renews it, such as two check
	 * intervals; after that the breaker's own open wait applies
	 */
	public void markDown(Duration holdFor) {
		this.heldUntil = System.nanoTime() + holdFor.toNanos();
		this.circuitBreaker.holdOpen();
	}

	/**
	 * Lets an open breaker probe with the next call at once, because the resource was found up again.
	 */
	public void markUp() {
		State state = this.breaker.getState();
		if (state == State.OPEN || state == State.FORCED_OPEN) {
			transition(this.breaker::transitionToHalfOpenState);
		}
	}

	/**
	 * Tells whether the breaker refuses calls now, opened by failed calls or held open by the health check.
	 * @return whether the breaker is open
	 */
	public boolean isOpen() {
		State state = this.breaker.getState();
		return state == State.OPEN || state == State.FORCED_OPEN;
	}

	/**
	 * Returns the state of the resource's breaker.
	 * @return the state
	 */
	public State getState() {
		return this.breaker.getState();
	}

	/**
	 * Returns the resource this guard protects.
	 * @return the resource
	 */
	public AttachedResource getResource() {
		return this.resource;
	}

	private Duration retryAfter() {
		State state = this.breaker.getState();
		if (state != State.OPEN && state != State.FORCED_OPEN) {
			return MIN_RETRY_AFTER;
		}
		// Held open by the health check, it opens no sooner than the open wait either: the check runs every few seconds.
		long wait = this.breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
		long left = TimeUnit.MILLISECONDS.toNanos(wait) - (System.nanoTime() - this.openedAt);
		// Whole seconds, rounded up: Retry-After has no finer unit.
		Duration remaining = Duration.ofSeconds((long) Math.ceil(left / 1e9));
		return (remaining.compareTo(MIN_RETRY_AFTER) < 0) ? MIN_RETRY_AFTER : remaining;
	}

	private static void transition(Runnable transition) {
		try {
			transition.run();
		}
		catch (IllegalStateTransitionException ex) {
			// Another thread moved the breaker first; its state is as good as ours.
		}
	}

}
