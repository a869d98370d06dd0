package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One round of a relay: lease the items that are due, deliver them over one connection through the gate, settle each
 * (delivered, retried on its own backoff, parked), give back what is left, and say how long to wait before the next.
 *
 * @author attach
 */
final class RelayRound {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	// Counting a large queue costs the database a scan: rounds that found nothing count it only this often.
	static final Duration IDLE_STATS_INTERVAL = Duration.ofSeconds(10);

	// Rounds that delivered count it only this often: while items keep coming a round carries a few of them, and a
	// count after each would scan the backlog as often as items leave. The next idle round counts what they left.
	static final Duration BUSY_STATS_INTERVAL = Duration.ofSeconds(1);

	private final String channel;

	private final OutboxStore store;

	private final OutboxDelivery delivery;

	private final DeliveryGate gate;

	private final AttachOutboxProperties properties;

	private final Backoff backoff;

	private final BooleanSupplier storeReady;

	private final OutboxListener listener;

	private final LongSupplier nanoTime;

	// The batch each relay thread is delivering, for a stop to give back what it has not attempted.
	private final Map<Thread, RelayBatch> batches = new ConcurrentHashMap<>();

	private volatile OutboxStats stats = OutboxStats.EMPTY;

	private volatile long statsDue;

	private volatile long busyStatsDue;

	// Whether a round that delivered left its count to a later round.
	private volatile boolean statsStale;

	// When the last round that found items began, by the clock; long ago until one did.
	private volatile long busyAt;

	RelayRound(String channel, OutboxStore store, OutboxDelivery delivery, DeliveryGate gate,
			AttachOutboxProperties properties, BooleanSupplier storeReady, OutboxListener listener,
			LongSupplier nanoTime) {
		this.channel = channel;
		this.store = store;
		this.delivery = delivery;
		this.gate = gate;
		this.properties = properties;
		this.backoff = properties.getRetry().toBackoff();
		this.storeReady = storeReady;
		this.listener = listener;
		this.nanoTime = nanoTime;
		this.statsDue = nanoTime.getAsLong();
		this.busyStatsDue = this.statsDue;
		this.busyAt = this.statsDue - Long.MAX_VALUE / 2;
	}

	/**
	 * Returns when, by the round's clock, the last round that found items to deliver began.
	 * @return its start in nanoseconds, long ago if none did
	 */
	long busyAt() {
		return this.busyAt;
	}

	OutboxStats stats() {
		return this.stats;
	}

	@Nullable RelayBatch batchOf(Thread thread) {
		return this.batches.get(thread);
	}

	/**
	 * Runs one round.
	 * @param failures the calling thread's failure accounting
	 * @param going tells whether the calling thread may start another item, false once the relay stops
	 * @return how long to wait before the next round
	 * @throws RuntimeException if the store failed: the items are safe where they are
	 */
	Duration run(RelayFailures failures, BooleanSupplier going) {
		if (!this.storeReady.getAsBoolean()) {
			return failures.notReady();
		}
		// Settle the batch well within its lease, or another instance may take it over and send it again.
		long started = this.nanoTime.getAsLong();
		long deadline = started + this.properties.getLease().toNanos() / 2;
		List<OutboxItem> items = this.store.claim(this.channel, this.properties.getBatchSize(),
				this.properties.getLease());
		if (items.isEmpty()) {
			// Counted at the end of a round: an idle round's count also sees other instances' items.
			refreshStats(failures.inOutage() || this.statsStale);
			failures.idle(this.stats.queued());
			return this.properties.getPollInterval();
		}
		this.busyAt = started;
		RelayBatch batch = new RelayBatch(items);
		this.batches.put(Thread.currentThread(), batch);
		try {
			return deliver(failures, batch, deadline, going);
		}
		finally {
			this.batches.remove(Thread.currentThread(), batch);
		}
	}

	private Duration deliver(RelayFailures failures, RelayBatch batch, long deadline, BooleanSupplier going) {
		List<OutboxItem> items = batch.items();
		OutboxDelivery.Connection connection;
		try {
			connection = connect(failures, items);
		}
		catch (ServiceFailure failure) {
			return backOff(failures, batch, 0, false, failure);
		}
		if (connection == null) {
			// Every item was settled.
			batch.takeRest(items.size());
			refreshStats(true);
			return this.properties.getPollInterval();
		}
		// Settled together, as many as the connection has in flight at once: one statement, not one per item.
		Delivered delivered = new Delivered(Math.max(1, connection.window()));
		RelayWindow window = new RelayWindow(connection, batch,
				() -> going.getAsBoolean() && this.nanoTime.getAsLong() - deadline < 0);
		int next = 0;
		try {
			for (; next < items.size() && window.admit(next); next++) {
				OutboxItem item = items.get(next);
				int index = next;
				settle(failures, item, this.gate.call(() -> invoke(() -> {
					window.deliver(index);
					return null;
				})), delivered);
			}
			delivered.settle();
		}
		catch (ServiceFailure failure) {
			// The items answered before the failure were sent: settled before anything is given back.
			delivered.settleQuietly();
			return backOff(failures, batch, next, true, failure);
		}
		catch (RuntimeException | Error ex) {
			// Not the service but attach, the store or the JVM: give back what is unsettled rather than let it wait
			// out its lease, and let the loop report it. Items delivered and not yet settled stay leased: sent again
			// once the lease ends, at least once.
			delivered.settleQuietly();
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
			if (!going.getAsBoolean()) {
				logger.info("Outbox " + this.channel + ": stopping; gave back " + rest.size()
						+ " unsent item(s) to other instances");
			}
		}
		refreshBusyStats();
		// A full batch delivered whole: more may be due, and the next round starts at once.
		Duration wait = (items.size() == this.properties.getBatchSize() && next == items.size()) ? Duration.ZERO
				: this.properties.getPollInterval();
		if (this.statsStale) {
			// The count this round left out is taken by the next one, which must come within the second.
			Duration untilCount = Duration.ofNanos(Math.max(0, this.busyStatsDue - this.nanoTime.getAsLong()));
			return (untilCount.compareTo(wait) < 0) ? untilCount : wait;
		}
		return wait;
	}

	private OutboxDelivery.@Nullable Connection connect(RelayFailures failures, List<OutboxItem> items) {
		Object connection = this.gate.call(() -> invoke(this.delivery::connect));
		if (connection instanceof RejectedItemException rejected) {
			// The service refuses all of them, such as for bad credentials: retrying would only repeat that.
			Delivered none = new Delivered(1);
			for (OutboxItem item : items) {
				settle(failures, item, rejected, none);
			}
			return null;
		}
		return (OutboxDelivery.Connection) connection;
	}

	private void settle(RelayFailures failures, OutboxItem item, @Nullable Object outcome, Delivered delivered) {
		// The service answered, even if to refuse the item: whatever outage there was has ended.
		failures.answered();
		if (!(outcome instanceof RejectedItemException rejected)) {
			delivered.add(item);
		}
		else if (rejected.isPermanent()) {
			this.store.park(this.channel, item, String.valueOf(rejected.getMessage()));
			this.listener.parked(1);
			logger.warn("Outbox " + this.channel + ": parked " + item.id() + " (never retried until requeued): "
					+ rejected.getMessage());
		}
		else {
			this.store.retry(this.channel, item, Instant.now().plus(this.backoff.after(item.attempts() + 1)),
					String.valueOf(rejected.getMessage()));
			this.listener.retried(1);
		}
	}

	private Duration backOff(RelayFailures failures, RelayBatch batch, int inFlight, boolean sent,
			ServiceFailure failure) {
		List<OutboxItem> items = batch.items();
		if (failure.isNotPermitted()) {
			// The breaker is open: nothing was attempted, so nothing counts as a retry.
			List<OutboxItem> rest = batch.takeRest(0);
			if (rest != null) {
				this.store.release(this.channel, rest);
			}
			refreshStats(true);
			return failures.notPermitted();
		}
		if (inFlight < items.size() && batch.holds(inFlight)) {
			// The item in flight waits on its own backoff too: were it the one that breaks the server (too large,
			// say), retrying it first every round would hold up every item behind it. The first item of a connection
			// that failed is charged the attempt and the error, not a wait: it cannot have caused the failure, and
			// must leave as soon as the service is back.
			OutboxItem item = items.get(inFlight);
			Instant notBefore = sent ? Instant.now().plus(this.backoff.after(item.attempts() + 1)) : Instant.now();
			this.store.retry(this.channel, item, notBefore, String.valueOf(failure.getMessage()));
			List<OutboxItem> rest = batch.takeRest(inFlight + 1);
			if (rest != null) {
				this.store.release(this.channel, rest);
			}
			this.listener.retried(1);
		}
		Duration wait = failures.serviceFailed(String.valueOf(failure.getMessage()));
		refreshStats(true);
		return wait;
	}

	private void refreshStats(boolean now) {
		long time = this.nanoTime.getAsLong();
		if (now || time - this.statsDue >= 0) {
			this.stats = this.store.stats(this.channel);
			this.statsStale = false;
			this.statsDue = time + IDLE_STATS_INTERVAL.toNanos();
			this.busyStatsDue = time + BUSY_STATS_INTERVAL.toNanos();
		}
	}

	private void refreshBusyStats() {
		if (this.nanoTime.getAsLong() - this.busyStatsDue >= 0) {
			refreshStats(true);
		}
		else {
			this.statsStale = true;
		}
	}

	void releaseQuietly(List<OutboxItem> items) {
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

	/**
	 * Items the service accepted and the store has yet to remove, removed together once there are enough of them.
	 */
	private final class Delivered {

		private final int size;

		private final List<OutboxItem> items = new ArrayList<>();

		Delivered(int size) {
			this.size = size;
		}

		void add(OutboxItem item) {
			this.items.add(item);
			if (this.items.size() >= this.size) {
				settle();
			}
		}

		void settle() {
			if (!this.items.isEmpty()) {
				List<OutboxItem> settled = List.copyOf(this.items);
				RelayRound.this.store.delivered(RelayRound.this.channel, settled);
				this.items.clear();
				RelayRound.this.listener.delivered(settled.size());
			}
		}

		void settleQuietly() {
			try {
				settle();
			}
			catch (RuntimeException ex) {
				logger.debug("Outbox " + RelayRound.this.channel + ": could not settle " + this.items.size()
						+ " delivered item(s); they are sent again once their lease ends", ex);
			}
		}

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

	@FunctionalInterface
	private interface ServiceCall {

		@Nullable Object call() throws Exception;

	}

}
