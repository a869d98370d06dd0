package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.attach.resilience.ResourceCircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Delivers a channel's items from an {@link OutboxStore} on a thread of its own: oldest first, at least once, each
 * attempt bounded by the client's timeouts and skipped while the resource's circuit breaker is open.
 * <p>
 * When the service fails the relay backs off as a whole, with exponential backoff and jitter, and delivers
 * everything once a call succeeds again; an item the service refuses for now waits on its own backoff, and an item
 * it refuses for good is parked.
 *
 * @author attach
 */
public final class OutboxRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final String channel;

	private final OutboxStore store;

	private final OutboxDelivery delivery;

	private final @Nullable ResourceCircuitBreaker breaker;

	private final AttachOutboxProperties properties;

	private final Backoff backoff;

	private final BooleanSupplier storeReady;

	private final OutboxListener listener;

	private final Object monitor = new Object();

	private boolean woken;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	private volatile OutboxStats stats = OutboxStats.EMPTY;

	private int failures;

	/**
	 * Creates a relay.
	 * @param channel the channel, named after the resource
	 * @param store where the items wait
	 * @param delivery what delivers them
	 * @param breaker the resource's circuit breaker, or {@code null} without one
	 * @param properties the outbox settings
	 * @param storeReady tells whether the store can be used yet, such as after its table was created
	 * @param listener what hears about deliveries
	 */
	public OutboxRelay(String channel, OutboxStore store, OutboxDelivery delivery,
			@Nullable ResourceCircuitBreaker breaker, AttachOutboxProperties properties, BooleanSupplier storeReady,
			OutboxListener listener) {
		this.channel = channel;
		this.store = store;
		this.delivery = delivery;
		this.breaker = breaker;
		this.properties = properties;
		this.backoff = properties.getRetry().toBackoff();
		this.storeReady = storeReady;
		this.listener = listener;
	}

	/**
	 * Asks for a round now, unless the relay is backing off from a failed service, which enqueues must not cut short.
	 */
	public void wake() {
		synchronized (this.monitor) {
			this.woken = true;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Returns the channel's counts as of the last round.
	 * @return the counts
	 */
	public OutboxStats getStats() {
		return this.stats;
	}

	@Override
	public void start() {
		Thread relay = new Thread(this::loop, "attach-outbox-" + this.channel);
		relay.setDaemon(true);
		// A thread from an earlier start that is still finishing a delivery sees it is no longer current and ends.
		this.thread = relay;
		this.running = true;
		relay.start();
	}

	@Override
	public void stop() {
		Thread relay = this.thread;
		this.thread = null;
		this.running = false;
		wake();
		if (relay != null) {
			try {
				// A delivery in flight ends by its client's timeouts; its item stays queued and is sent again.
				relay.join(this.properties.getPollInterval().toMillis() + 2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private boolean current() {
		return Thread.currentThread() == this.thread;
	}

	private void loop() {
		while (current()) {
			if (Thread.interrupted()) {
				// Nothing in attach interrupts this thread; whoever did must not end delivery for good.
				logger.warn("Outbox " + this.channel + ": relay thread interrupted; it goes on while started");
			}
			Duration wait;
			try {
				wait = round();
			}
			catch (RuntimeException ex) {
				// The store itself failed, such as the database being down: the items are safe where they are.
				this.failures++;
				logger.warn("Outbox " + this.channel + ": cannot use the " + this.store.location() + ": "
						+ ex.getMessage());
				wait = this.backoff.after(this.failures);
			}
			catch (Throwable ex) {
				// Even an Error must not end the only thread that delivers; leased items return after their lease.
				this.failures++;
				logger.error("Outbox " + this.channel + ": relay round failed", ex);
				wait = this.backoff.after(this.failures);
			}
			await(wait);
		}
	}

	private Duration round() {
		if (!this.storeReady.getAsBoolean()) {
			return this.backoff.after(++this.failures);
		}
		// Settle the batch well within its lease, or another instance may take it over and send it again.
		long deadline = System.nanoTime() + this.properties.getLease().toNanos() / 2;
		List<OutboxItem> batch = this.store.claim(this.channel, this.properties.getBatchSize(),
				this.properties.getLease());
		if (batch.isEmpty()) {
			this.failures = 0;
			// Counted once per round, at its end: an idle round's count also sees other instances' items.
			this.stats = this.store.stats(this.channel);
			return this.properties.getPollInterval();
		}
		OutboxDelivery.Connection connection;
		try {
			connection = connect(batch);
		}
		catch (ServiceFailure failure) {
			return backOff(batch, 0, failure);
		}
		if (connection == null) {
			this.stats = this.store.stats(this.channel);
			return this.properties.getPollInterval();
		}
		int next = 0;
		try {
			for (; next < batch.size() && current() && System.nanoTime() < deadline; next++) {
				OutboxItem item = batch.get(next);
				settle(item, guarded(() -> {
					connection.deliver(item);
					return null;
				}));
			}
		}
		catch (ServiceFailure failure) {
			return backOff(batch, next, failure);
		}
		catch (RuntimeException | Error ex) {
			// Not the service but attach, the store or the JVM: give back what is unsettled rather than let it wait
			// out its lease, and let the loop report it.
			releaseQuietly(batch.subList(next, batch.size()));
			throw ex;
		}
		finally {
			close(connection);
		}
		this.store.release(this.channel, batch.subList(next, batch.size()));
		if (this.failures > 0) {
			logger.info("Outbox " + this.channel + ": delivering again after " + this.failures + " failed attempt(s)");
			this.failures = 0;
		}
		this.stats = this.store.stats(this.channel);
		return (batch.size() == this.properties.getBatchSize() && next == batch.size()) ? Duration.ZERO
				: this.properties.getPollInterval();
	}

	private void releaseQuietly(List<OutboxItem> items) {
		try {
			this.store.release(this.channel, items);
		}
		catch (RuntimeException ex) {
			logger.debug("Outbox " + this.channel + ": could not release " + items.size() + " item(s)", ex);
		}
	}

	private void close(OutboxDelivery.Connection connection) {
		try {
			connection.close();
		}
		catch (Exception ex) {
			logger.debug("Outbox " + this.channel + ": could not close the connection cleanly", ex);
		}
	}

	private OutboxDelivery.@Nullable Connection connect(List<OutboxItem> batch) {
		Object connection = guarded(this.delivery::connect);
		if (connection instanceof RejectedItemException rejected) {
			// The service refuses all of them, such as for bad credentials: retrying would only repeat that.
			for (OutboxItem item : batch) {
				settle(item, rejected);
			}
			return null;
		}
		return (OutboxDelivery.Connection) connection;
	}

	private void settle(OutboxItem item, @Nullable Object outcome) {
		if (!(outcome instanceof RejectedItemException rejected)) {
			this.store.delivered(this.channel, item);
			this.listener.delivered(1);
		}
		else if (rejected.isPermanent()) {
			this.store.park(this.channel, item, rejected.getMessage());
			this.listener.parked(1);
			logger.warn("Outbox " + this.channel + ": parked " + item.id() + " (never retried until requeued): "
					+ rejected.getMessage());
		}
		else {
			Instant notBefore = Instant.now().plus(this.backoff.after(item.attempts() + 1));
			this.store.retry(this.channel, item, notBefore, rejected.getMessage());
			this.listener.retried(1);
		}
	}

	private Duration backOff(List<OutboxItem> batch, int next, ServiceFailure failure) {
		if (failure.isNotPermitted()) {
			// The breaker is open: nothing was attempted, so nothing counts as a retry.
			this.store.release(this.channel, batch);
			this.stats = this.store.stats(this.channel);
			return this.backoff.after(Math.max(1, this.failures));
		}
		if (next < batch.size()) {
			// The item in flight waits on its own backoff too: were it the one that breaks the server (too large,
			// say), retrying it first every round would hold up every item behind it.
			OutboxItem inFlight = batch.get(next);
			this.store.retry(this.channel, inFlight, Instant.now().plus(this.backoff.after(inFlight.attempts() + 1)),
					failure.getMessage());
			this.store.release(this.channel, batch.subList(next + 1, batch.size()));
			this.listener.retried(1);
		}
		this.failures++;
		Duration wait = this.backoff.after(this.failures);
		if (this.failures == 1) {
			logger.warn("Outbox " + this.channel + ": delivery failed, items stay queued and are retried with backoff: "
					+ failure.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Outbox " + this.channel + ": attempt " + this.failures + " failed, next in " + wait + ": "
					+ failure.getMessage());
		}
		this.stats = this.store.stats(this.channel);
		return wait;
	}

	private @Nullable Object guarded(ServiceCall call) {
		if (this.breaker == null) {
			return invoke(call);
		}
		return this.breaker.run(() -> invoke(call), (failure) -> {
			throw (failure instanceof ServiceFailure serviceFailure) ? serviceFailure
					: new ServiceFailure(failure.getMessage(), failure);
		});
	}

	private static @Nullable Object invoke(ServiceCall call) {
		try {
			return call.call();
		}
		catch (RejectedItemException ex) {
			// An answer from the service, not a failure of it: the breaker counts it as a success.
			return ex;
		}
		catch (Exception ex) {
			throw new ServiceFailure(String.valueOf(ex.getMessage()), ex);
		}
	}

	private void await(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		synchronized (this.monitor) {
			// While backing off from a failed service only a stop ends the wait early.
			while (current() && (!this.woken || this.failures > 0)) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					break;
				}
				try {
					this.monitor.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			this.woken = false;
		}
	}

	@FunctionalInterface
	private interface ServiceCall {

		@Nullable Object call() throws Exception;

	}

	private static final class ServiceFailure extends RuntimeException {

		ServiceFailure(String message, Throwable cause) {
			super(message, cause);
		}

		boolean isNotPermitted() {
			// Resilience4j's exception for an open breaker, named rather than imported: Resilience4j is optional.
			return getCause() != null && getCause().getClass().getSimpleName().equals("CallNotPermittedException");
		}

	}

}
