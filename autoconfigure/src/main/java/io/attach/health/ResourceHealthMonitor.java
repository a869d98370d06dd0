package io.attach.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.attach.core.AttachedResource;
import io.attach.core.ResourceDetailsContributor;
import io.attach.core.Timeouts;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the health of every attached resource fresh in the background, so that probes answer from memory.
 *
 * @author attach
 */
public final class ResourceHealthMonitor implements SmartLifecycle, DisposableBean {

	private static final Log logger = LogFactory.getLog(ResourceHealthMonitor.class);

	private final Duration timeout;

	private final Duration interval;

	private final List<MonitoredHealthIndicator> indicators = new CopyOnWriteArrayList<>();

	private final Map<String, List<Consumer<Status>>> statusListeners = new ConcurrentHashMap<>();

	// A hung check holds its thread until the client's own timeout; one resource never has two checks at once.
	private final ExecutorService checks = Executors.newCachedThreadPool(daemonThreads("attach-health-check-"));

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(daemonThreads("attach-health-"));

	private final List<ResourceDetailsContributor> contributors;

	private volatile boolean running;

	private volatile @Nullable ScheduledFuture<?> refresh;

	/**
	 * Creates a monitor.
	 * @param timeout the time a check may take before it counts as DOWN
	 * @param interval the time between two checks of a resource
	 * @param contributors what adds live details, such as breaker state, to each resource's health
	 */
	public ResourceHealthMonitor(Duration timeout, Duration interval, List<ResourceDetailsContributor> contributors) {
		this.timeout = timeout;
		this.interval = interval;
		this.contributors = List.copyOf(contributors);
	}

	/**
	 * Starts monitoring a resource.
	 * @param resource the resource
	 * @param check the check to run, which may block or hang
	 * @return the indicator that answers from the latest check
	 */
	public synchronized MonitoredHealthIndicator monitor(AttachedResource resource, HealthIndicator check) {
		MonitoredHealthIndicator indicator = new MonitoredHealthIndicator(resource, check, this.checks,
				this.scheduler, this.timeout, this.contributors);
		this.statusListeners.getOrDefault(resource.name(), List.of()).forEach(indicator::addStatusListener);
		this.indicators.add(indicator);
		return indicator;
	}

	/**
	 * Adds a listener told the status of every check of a resource, whether it is monitored already or later, such
	 * as an outbox that wakes when its resource is found up again. It runs on the monitor's thread and must not
	 * block.
	 * @param resource the resource's name
	 * @param listener the listener
	 */
	public synchronized void addStatusListener(String resource, Consumer<Status> listener) {
		this.statusListeners.computeIfAbsent(resource, (name) -> new CopyOnWriteArrayList<>()).add(listener);
		this.indicators.stream()
			.filter((indicator) -> indicator.getResource().name().equals(resource))
			.forEach((indicator) -> indicator.addStatusListener(listener));
	}

	/**
	 * Returns the indicators of every monitored resource.
	 * @return the indicators
	 */
	public List<MonitoredHealthIndicator> getIndicators() {
		return List.copyOf(this.indicators);
	}

	@Override
	public void start() {
		this.refresh = this.scheduler.scheduleWithFixedDelay(this::refreshAll, 0, Timeouts.millis(this.interval),
				TimeUnit.MILLISECONDS);
		this.running = true;
	}

	@Override
	public void stop() {
		// The executors stay: a stopped context may be started again.
		ScheduledFuture<?> scheduled = this.refresh;
		if (scheduled != null) {
			scheduled.cancel(false);
		}
		this.running = false;
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
		// Not interrupted: a running check ends by its client's own timeout, on a daemon thread.
		this.checks.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void refreshAll() {
		for (MonitoredHealthIndicator indicator : this.indicators) {
			try {
				indicator.refresh();
			}
			catch (RuntimeException ex) {
				// An exception escaping a fixed-delay task would cancel every later check, silently.
				logger.warn("Could not start the health check of " + indicator.getResource().name(), ex);
			}
		}
	}

	private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
