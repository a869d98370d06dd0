package io.attach.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.attach.core.AttachedResource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceDetailsContributor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * A {@link HealthIndicator} that answers from the latest background check of an attached resource, so a request
 * never waits on a hung service.
 * <p>
 * Checks run off the request thread, one at a time per resource; a check that outlives the timeout is reported
 * DOWN while it is left to finish, and no second one is started beside it.
 *
 * @author attach
 */
public final class MonitoredHealthIndicator implements HealthIndicator {

	private static final Log logger = LogFactory.getLog(MonitoredHealthIndicator.class);

	private final AttachedResource resource;

	private final HealthIndicator check;

	private final Executor executor;

	private final ScheduledExecutorService scheduler;

	private final Duration timeout;

	private final List<ResourceDetailsContributor> contributors;

	private final Clock clock = Clock.systemUTC();

	private volatile @Nullable HealthSnapshot latest;

	private @Nullable CompletableFuture<HealthSnapshot> running;

	MonitoredHealthIndicator(AttachedResource resource, HealthIndicator check, Executor executor,
			ScheduledExecutorService scheduler, Duration timeout, List<ResourceDetailsContributor> contributors) {
		this.resource = resource;
		this.check = check;
		this.executor = executor;
		this.scheduler = scheduler;
		this.timeout = timeout;
		this.contributors = contributors;
	}

	/**
	 * Returns the resource this indicator checks.
	 * @return the resource
	 */
	public AttachedResource getResource() {
		return this.resource;
	}

	/**
	 * Returns the outcome of the latest check.
	 * @return the snapshot, or {@code null} before the first check has ended or timed out
	 */
	public @Nullable HealthSnapshot getLatest() {
		return this.latest;
	}

	@Override
	public Health health() {
		return withLiveDetails(checkedHealth());
	}

	private Health withLiveDetails(Health health) {
		if (this.contributors.isEmpty()) {
			return health;
		}
		Map<String, Object> details = new LinkedHashMap<>();
		this.contributors.forEach((contributor) -> contributor.contribute(this.resource, details));
		return details.isEmpty() ? health
				: Health.status(health.getStatus()).withDetails(health.getDetails()).withDetails(details).build();
	}

	private Health checkedHealth() {
		if (this.resource.readiness() == ReadinessRole.IGNORED) {
			return Health.unknown().withDetail("readiness", "ignored, so not checked").build();
		}
		HealthSnapshot snapshot = this.latest;
		if (snapshot != null) {
			return snapshot.health();
		}
		// Before the first background check has ended: wait for it, but never beyond the timeout.
		CompletableFuture<HealthSnapshot> check = refresh();
		try {
			return check.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS).health();
		}
		catch (TimeoutException ex) {
			return timedOut(check).health();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().build();
		}
		catch (ExecutionException ex) {
			return Health.down(ex).build();
		}
	}

	/**
	 * Starts a check unless one is still running.
	 * @return the running check
	 */
	synchronized CompletableFuture<HealthSnapshot> refresh() {
		CompletableFuture<HealthSnapshot> current = this.running;
		if (this.resource.readiness() == ReadinessRole.IGNORED) {
			return CompletableFuture.completedFuture(new HealthSnapshot(checkedHealth(), this.clock.instant(), Duration.ZERO));
		}
		if (current != null && !current.isDone()) {
			return current;
		}
		Instant start = this.clock.instant();
		CompletableFuture<HealthSnapshot> next = CompletableFuture.supplyAsync(() -> runCheck(start), this.executor);
		this.running = next;
		this.scheduler.schedule(() -> timedOut(next), this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		return next;
	}

	private HealthSnapshot runCheck(Instant start) {
		Health health;
		try {
			health = this.check.health();
		}
		catch (RuntimeException ex) {
			health = Health.down(ex).build();
		}
		HealthSnapshot snapshot = new HealthSnapshot(health, start, Duration.between(start, this.clock.instant()));
		record(snapshot);
		return snapshot;
	}

	private HealthSnapshot timedOut(CompletableFuture<HealthSnapshot> check) {
		HealthSnapshot snapshot = this.latest;
		if (check.isDone() && snapshot != null) {
			return snapshot;
		}
		Instant now = this.clock.instant();
		Health health = Health.down()
			.withDetail("error", "No answer within " + this.timeout.toMillis() + "ms")
			.build();
		HealthSnapshot timedOut = new HealthSnapshot(health, now.minus(this.timeout), this.timeout);
		record(timedOut);
		return timedOut;
	}

	private void record(HealthSnapshot snapshot) {
		HealthSnapshot previous = this.latest;
		this.latest = snapshot;
		Status status = snapshot.health().getStatus();
		if (previous == null || !previous.health().getStatus().equals(status)) {
			// One line per change of state, not one per failed check: an outage must not flood the log.
			String message = this.resource.name() + " (" + this.resource.kind().id() + ") is " + status.getCode()
					+ describe(snapshot.health());
			if (Status.UP.equals(status)) {
				logger.info(message);
			}
			else {
				logger.warn(message);
			}
		}
	}

	private static String describe(Health health) {
		Object error = health.getDetails().get("error");
		return (error != null) ? ": " + error : "";
	}

}
