package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.attach.core.Timeouts;
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

	// Counting a large queue costs the database a scan: rounds that found nothing count it only this often.
	private static final Duration IDLE_STATS_INTERVAL = Duration.ofSeconds(10);

	private final String channel;

	private final OutboxStore store;

	private final OutboxDelivery delivery;

	private final @Nullable ResourceCircuitBreaker breaker;

	private final AttachOutboxProperties properties;

	private final Backoff backoff;

	private final BooleanSupplier storeReady;

	private final OutboxListener listener;

	private final Object monitor = new Object();

	// The batch each relay thread is delivering, for a stop to give back what it has not attempted.
	private final Map<Thread, Batch> batches = new ConcurrentHashMap<>();

	private boolean woken;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	private volatile OutboxStats stats = OutboxStats.EMPTY;

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
		Thread relay = halt();
		if (relay != null) {
			finish(relay);
		}
	}

	@Override
	public void stop(Runnable callback) {
		Thread relay = halt();
		if (relay == null) {
			callback.run();
			return;
		}
		// The relays of several resources stop side by side, each within its grace, inside one shutdown phase.
		Thread stopping = new Thread(() -> {
			try {
				finish(relay);
			}
			finally {
				callback.run();
			}
		}, "attach-outbox-" + this.channel + "-stop");
		stopping.setDaemon(true);
		stopping.start();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// After the web server's graceful shutdown (DEFAULT_PHASE - 1024), so that mail sent by the last requests
		// still leaves from this instance, and before the server stops (DEFAULT_PHASE - 2048).
		return SmartLifecycle.DEFAULT_PHASE - 1536;
	}

	private @Nullable Thread halt() {
		Thread relay = this.thread;
		this.thread = null;
		this.running = false;
		wake();
		return relay;
	}

	private void finish(Thread relay) {
		Duration grace = this.properties.getShutdownGrace();
		try {
			// The delivery in flight has the grace to settle; the relay then gives back the rest itself.
			relay.join(Timeouts.millis(grace));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		Batch batch = this.batches.get(relay);
		if (!relay.isAlive() || batch == null) {
			return;
		}
		List<OutboxItem> rest = batch.takeRest();
		if (rest == null) {
			return;
		}
		releaseQuietly(rest);
		// Its outcome is unknown: giving it back could have it sent twice while it is still being sent.
		OutboxItem inFlight = batch.inFlight();
		logger.warn("Outbox " + this.channel + ": " + ((inFlight != null) ? "delivery of " + inFlight.id()
				: "connecting") + " still in progress after attach.outbox.shutdown-grace (" + grace + "); gave back "
				+ rest.size() + " unsent item(s) to other instances"
				+ ((inFlight != null) ? "; " + inFlight.id() + " stays leased until it settles or its lease ends" : ""));
	}

	private boolean current() {
		return Thread.currentThread() == this.thread;
	}

	private void loop() {
		// This thread's own: a thread from an earlier start that still settles its last item must neither end nor
		// extend the outage of the current one.
		State state = new State();
		while (current()) {
			if (Thread.interrupted()) {
				// Nothing in attach interrupts this thread; whoever did must not end delivery for good.
				logger.warn("Outbox " + this.channel + ": relay thread interrupted; it goes on while started");
			}
			Duration wait;
			try {
				wait = round(state);
				if (state.storeFailing) {
					state.storeFailing = false;
					logger.info("Outbox " + this.channel + ": the " + this.store.location() + " can be used again");
				}
			}
			catch (RuntimeException ex) {
				// The store itself failed, such as the database being down: the items are safe where they are.
				state.failures++;
				String message = "Outbox " + this.channel + ": cannot use the " + this.store.location()
						+ ", items stay where they are and it is tried again with backoff: " + ex.getMessage();
				if (!state.storeFailing) {
					state.storeFailing = true;
					logger.warn(message);
				}
				else {
					logger.debug(message);
				}
				wait = this.backoff.after(state.failures);
			}
			catch (Throwable ex) {
				// Even an Error must not end the only thread that delivers; leased items return after their lease.
				state.failures++;
				logger.error("Outbox " + this.channel + ": relay round failed", ex);
				wait = this.backoff.after(state.failures);
			}
			await(state, wait);
		}
	}

	private Duration round(State state) {
		if (!this.storeReady.getAsBoolean()) {
			return this.backoff.after(++state.failures);
		}
		// Settle the batch well within its lease, or another instance may take it over and send it again.
		long deadline = System.nanoTime() + this.properties.getLease().toNanos() / 2;
		List<OutboxItem> items = this.store.claim(this.channel, this.properties.getBatchSize(),
				this.properties.getLease());
		if (items.isEmpty()) {
			// Counted at the end of a round: an idle round's count also sees other instances' items.
			refreshStats(state, state.outageSince != null);
			// A round that finds nothing due says nothing about the service: its outage goes on while the items it
			// failed wait on their backoff. Once none is queued, delivered by another instance or removed, nothing
			// is left for this relay to back off from, and new items go out at once.
			if (state.outageSince != null && this.stats.queued() == 0) {
				endOutage(state, "no item is queued any more");
			}
			else if (state.outageSince == null) {
				state.failures = 0;
			}
			return this.properties.getPollInterval();
		}
		Batch batch = new Batch(items);
		this.batches.put(Thread.currentThread(), batch);
		try {
			return deliver(state, batch, deadline);
		}
		finally {
			this.batches.remove(Thread.currentThread(), batch);
		}
	}

	private Duration deliver(State state, Batch batch, long deadline) {
		List<OutboxItem> items = batch.items;
		OutboxDelivery.Connection connection;
		try {
			connection = connect(state, items);
		}
		catch (ServiceFailure failure) {
			return backOff(state, batch, 0, failure);
		}
		if (connection == null) {
			// Every item was settled.
			batch.takeRest(batch.items.size());
			refreshStats(state, true);
			return this.properties.getPollInterval();
		}
		int next = 0;
		try {
			for (; next < items.size() && batch.start(next, current() && System.nanoTime() < deadline); next++) {
				OutboxItem item = items.get(next);
				settle(state, item, guarded(() -> {
					connection.deliver(item);
					return null;
				}));
			}
		}
		catch (ServiceFailure failure) {
			return backOff(state, batch, next, failure);
		}
		catch (RuntimeException | Error ex) {
			// Not the service but attach, the store or the JVM: give back what is unsettled rather than let it wait
			// out its lease, and let the loop report it.
			List<OutboxItem> rest = batch.takeRest(next);
			if (rest != null) {
				releaseQuietly(rest);
			}
			throw ex;
		}
		finally {
			close(connection);
		}
		List<OutboxItem> rest = batch.takeRest(next);
		if (rest != null && !rest.isEmpty()) {
			this.store.release(this.channel, rest);
			if (!current()) {
				logger.info("Outbox " + this.channel + ": stopping; gave back " + rest.size()
						+ " unsent item(s) to other instances");
			}
		}
		refreshStats(state, true);
		return (items.size() == this.properties.getBatchSize() && next == items.size()) ? Duration.ZERO
				: this.properties.getPollInterval();
	}

	private void refreshStats(State state, boolean now) {
		long time = System.nanoTime();
		if (now || time - state.statsDue >= 0) {
			this.stats = this.store.stats(this.channel);
			state.statsDue = time + IDLE_STATS_INTERVAL.toNanos();
		}
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

	private OutboxDelivery.@Nullable Connection connect(State state, List<OutboxItem> batch) {
		Object connection = guarded(this.delivery::connect);
		if (connection instanceof RejectedItemException rejected) {
			// The service refuses all of them, such as for bad credentials: retrying would only repeat that.
			answered(state);
			for (OutboxItem item : batch) {
				settle(state, item, rejected);
			}
			return null;
		}
		return (OutboxDelivery.Connection) connection;
	}

	private void settle(State state, OutboxItem item, @Nullable Object outcome) {
		answered(state);
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

	private Duration backOff(State state, Batch batch, int next, ServiceFailure failure) {
		List<OutboxItem> items = batch.items;
		if (failure.isNotPermitted()) {
			// The breaker is open: nothing was attempted, so nothing counts as a retry.
			List<OutboxItem> rest = batch.takeRest(0);
			if (rest != null) {
				this.store.release(this.channel, rest);
			}
			refreshStats(state, true);
			return this.backoff.after(Math.max(1, state.failures));
		}
		if (next < items.size() && batch.holds(next)) {
			// The item in flight waits on its own backoff too: were it the one that breaks the server (too large,
			// say), retrying it first every round would hold up every item behind it.
			OutboxItem inFlight = items.get(next);
			this.store.retry(this.channel, inFlight, Instant.now().plus(this.backoff.after(inFlight.attempts() + 1)),
					failure.getMessage());
			List<OutboxItem> rest = batch.takeRest(next + 1);
			if (rest != null) {
				this.store.release(this.channel, rest);
			}
			this.listener.retried(1);
		}
		state.failures++;
		state.outageFailures++;
		Duration wait = this.backoff.after(state.failures);
		if (state.outageSince == null) {
			state.outageSince = Instant.now();
			logger.warn("Outbox " + this.channel + ": delivery failed, items stay queued and are retried with backoff"
					+ " until the service answers again: " + failure.getMessage());
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Outbox " + this.channel + ": attempt " + state.outageFailures + " failed, next in " + wait
					+ ": " + failure.getMessage());
		}
		refreshStats(state, true);
		return wait;
	}

	private void answered(State state) {
		// The service answered, even if to refuse an item: whatever outage there was has ended.
		if (state.outageSince != null) {
			endOutage(state, "delivering again");
		}
		state.failures = 0;
	}

	private void endOutage(State state, String how) {
		logger.info("Outbox " + this.channel + ": " + how + " after " + state.outageFailures + " failed attempt(s) over "
				+ Duration.between(state.outageSince, Instant.now()).withNanos(0));
		state.outageSince = null;
		state.outageFailures = 0;
		state.failures = 0;
	}

	private @Nullable Object guarded(ServiceCall call) {
		if (this.breaker == null) {
			return invoke(call);
		}
		return this.breaker.run(() -> invoke(call), (failure) -> {
			throw (failure instanceof ServiceFailure serviceFailure) ? serviceFailure
					: new ServiceFailure(String.valueOf(failure.getMessage()), failure);
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

	private void await(State state, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		synchronized (this.monitor) {
			// While backing off from a failed service only a stop ends the wait early.
			while (current() && (!this.woken || state.failures > 0)) {
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

	/**
	 * The backoff and outage of one relay thread, read and written by that thread alone.
	 */
	private static final class State {

		// Consecutive failed rounds, which the relay backs off by.
		int failures;

		// Since when the service fails, and how often it did: an outage is reported when it begins and when it ends,
		// however many rounds find nothing due in between.
		@Nullable Instant outageSince;

		int outageFailures;

		boolean storeFailing;

		long statsDue = System.nanoTime();

	}

	/**
	 * Items one relay thread leased, and how far it got, shared with a stop that gives back what is left.
	 */
	private static final class Batch {

		private final List<OutboxItem> items;

		private int started = -1;

		private boolean givenBack;

		Batch(List<OutboxItem> items) {
			this.items = items;
		}

		synchronized boolean start(int index, boolean go) {
			if (!go || this.givenBack) {
				return false;
			}
			this.started = index;
			return true;
		}

		synchronized boolean holds(int index) {
			// Once given back, only an item this thread started is still its own.
			return !this.givenBack || index <= this.started;
		}

		synchronized @Nullable OutboxItem inFlight() {
			return (this.started >= 0) ? this.items.get(this.started) : null;
		}

		synchronized @Nullable List<OutboxItem> takeRest(int from) {
			// Whoever takes the rest first gives it back; the other must not touch items leased again since.
			if (this.givenBack) {
				return null;
			}
			this.givenBack = true;
			return this.items.subList(Math.min(from, this.items.size()), this.items.size());
		}

		synchronized @Nullable List<OutboxItem> takeRest() {
			return takeRest(this.started + 1);
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

		@Override
		public String getMessage() {
			// Never null: the constructor takes a message, which the store keeps as the error.
			return Objects.requireNonNull(super.getMessage());
		}

		boolean isNotPermitted() {
			// Resilience4j's exception for an open breaker, named rather than imported: Resilience4j is optional.
			return getCause() != null && getCause().getClass().getSimpleName().equals("CallNotPermittedException");
		}

	}

}
