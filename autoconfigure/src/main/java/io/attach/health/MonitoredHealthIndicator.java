package io.attach.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceDetailsContributor;
import io.attach.core.Timeouts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
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

	// Guards running and the writes of latest, so that a result and its timeout never overwrite each other.
	private final Object lock = new Object();

	private volatile @Nullable HealthSnapshot latest;

	private final List<Consumer<Status>> listeners = new CopyOnWriteArrayList<>();

	private @Nullable Check running;

	// The state last logged; a first check that does not answer in time is not one (see record).
	private @Nullable Status logged;

	private int started;

	private boolean coldStartLogged;

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
	 * Adds a listener told the status of every check as it ends or times out, such as a circuit breaker that opens
	 * while its resource is DOWN. It runs on the monitor's thread and must not block.
	 * @param listener the listener
	 */
	public void addStatusListener(Consumer<Status> listener) {
		this.listeners.add(listener);
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

	private Health checkedHealth() {
		if (this.resource.readiness() == ReadinessRole.IGNORED) {
			return Health.unknown().withDetail("readiness", "ignored, so not checked").build();
		}
		HealthSnapshot snapshot = this.latest;
		if (snapshot != null) {
			return snapshot.health();
		}
		// Before the first background check has ended: wait for it, but never beyond the timeout.
		Check first = refresh();
		try {
			return first.future.get(Timeouts.millis(this.timeout), TimeUnit.MILLISECONDS).health();
		}
		catch (TimeoutException ex) {
			return timedOut(first).health();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Health.unknown().build();
		}
		catch (ExecutionException ex) {
			return Health.down(ex).build();
		}
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

	/**
	 * Starts a check unless one is still running, or the resource is not to be checked.
	 * @return the running check
	 */
	Check refresh() {
		synchronized (this.lock) {
			if (this.resource.readiness() == ReadinessRole.IGNORED) {
				return Check.skipped(this.clock.instant());
			}
			Check current = this.running;
			if (current != null && !current.finished) {
				HealthSnapshot latest = this.latest;
				if (this.coldStartLogged && this.logged == null && latest != null) {
					// A first check still hung a whole interval later is no cold start: warn now.
					record(latest);
				}
				return current;
			}
			Check next = new Check(this.clock.instant());
			try {
				this.executor.execute(() -> run(next));
				this.scheduler.schedule(() -> timedOut(next), Timeouts.millis(this.timeout), TimeUnit.MILLISECONDS);
			}
			catch (RejectedExecutionException ex) {
				// Stopping: report the check as not run rather than leave it pending forever.
				next.finished = true;
				next.future.complete(new HealthSnapshot(Health.unknown().withDetail("error", "Monitor stopped").build(),
						next.start, Duration.ZERO));
				return next;
			}
			this.running = next;
			this.started++;
			return next;
		}
	}

	private void run(Check running) {
		Health health;
		try {
			Health checked = this.check.health();
			// Boot lets an indicator answer nothing; that tells nothing about the resource either way.
			health = (checked != null) ? checked : Health.unknown().build();
		}
		catch (Throwable ex) {
			// Even an Error must end the check, or no later check would ever start.
			health = Health.down(ex).build();
		}
		HealthSnapshot snapshot = new HealthSnapshot(health, running.start,
				Duration.between(running.start, this.clock.instant()));
		synchronized (this.lock) {
			running.finished = true;
			record(snapshot);
		}
		running.future.complete(snapshot);
	}

	private HealthSnapshot timedOut(Check running) {
		synchronized (this.lock) {
			HealthSnapshot snapshot = this.latest;
			if (running.finished && snapshot != null) {
				return snapshot;
			}
			Health health = Health.down()
				.withDetail("error", "No answer within " + Timeouts.millis(this.timeout) + "ms")
				.build();
			HealthSnapshot timedOut = new HealthSnapshot(health, running.start, this.timeout);
			if (this.started == 1) {
				// The first check pays for a cold start (class loading, a first connection, TLS): no warning yet.
				// Its own answer, or the next check's timeout, is logged as usual.
				this.latest = timedOut;
				this.listeners.forEach((listener) -> tell(listener, Status.DOWN));
				if (!this.coldStartLogged) {
					this.coldStartLogged = true;
					logger.info(this.resource.name() + " (" + this.resource.kind().id() + ") has not answered its first "
							+ "check within " + Timeouts.millis(this.timeout) + "ms; waiting for its answer");
				}
				return timedOut;
			}
			record(timedOut);
			return timedOut;
		}
	}

	// Called with the lock held, so that each change of state is logged exactly once.
	private void record(HealthSnapshot snapshot) {
		this.latest = snapshot;
		Status status = snapshot.health().getStatus();
		this.listeners.forEach((listener) -> tell(listener, status));
		if (!Objects.equals(status, this.logged)) {
			// One line per change of state, not one per failed check: an outage must not flood the log.
			this.logged = status;
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

	private void tell(Consumer<Status> listener, Status status) {
		try {
			listener.accept(status);
		}
		catch (RuntimeException ex) {
			// A listener's failure must not lose the check's result.
			logger.warn("A listener of the health of " + this.resource.name() + " failed", ex);
		}
	}

	private static String describe(Health health) {
		Object error = health.getDetails().get("error");
		Object cause = health.getDetails().get("cause");
		if (cause != null) {
			return ": " + cause + ((error != null) ? " (" + error + ")" : "");
		}
		return (error != null) ? ": " + error : "";
	}

	/**
	 * One run of the check.
	 */
	static final class Check {

		final Instant start;

		final CompletableFuture<HealthSnapshot> future = new CompletableFuture<>();

		boolean finished;

		Check(Instant start) {
			this.start = start;
		}

		static Check skipped(Instant now) {
			Check check = new Check(now);
			check.finished = true;
			check.future.complete(new HealthSnapshot(Health.unknown().build(), now, Duration.ZERO));
			return check;
		}

	}

}
