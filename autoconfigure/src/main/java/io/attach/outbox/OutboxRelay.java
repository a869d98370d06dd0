package io.attach.outbox;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.attach.core.Timeouts;
import io.attach.resilience.ResourceCircuitBreaker;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Delivers a channel's items from an {@link OutboxStore} on a thread of its own: oldest first, at least once, each
 * attempt bounded by the client's timeouts and skipped while the resource's circuit breaker is open.
 * <p>
 * When the service fails the relay backs off as a whole, with exponential backoff and jitter, and delivers
 * everything once a call succeeds again, or at once when the resource's health check finds it up again; an item the
 * service refuses for now waits on its own backoff, and an item it refuses for good is parked. This class is the
 * relay's lifecycle and its waits; {@link RelayRound} is one round, {@link RelayFailures} its failure accounting.
 *
 * @author attach
 */
public final class OutboxRelay {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final String channel;

	private final OutboxStore store;

	private final DeliveryGate gate;

	private final AttachOutboxProperties properties;

	private final Backoff backoff;

	private final RelayRound round;

	private final Object monitor = new Object();

	private boolean woken;

	// Wakes since the last round began: enqueues, most of them.
	private int wakes;

	private boolean recovered;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

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
		// The breaker's adapter names Resilience4j's types: created only when there is a breaker, so Resilience4j
		// stays optional.
		this(channel, store, delivery, properties, (breaker != null) ? new BreakerGate(breaker) : DeliveryGate.OPEN,
				storeReady, listener);
	}

	OutboxRelay(String channel, OutboxStore store, OutboxDelivery delivery, AttachOutboxProperties properties,
			DeliveryGate gate, BooleanSupplier storeReady, OutboxListener listener) {
		this.channel = channel;
		this.store = store;
		this.gate = gate;
		this.properties = properties;
		this.backoff = properties.getRetry().toBackoff();
		this.round = new RelayRound(channel, store, delivery, gate, properties, storeReady, listener,
				System::nanoTime);
	}

	/**
	 * Asks for a round now, unless the relay is backing off from a failed service, which enqueues must not cut short,
	 * or lingers after a round that found items (see {@code attach.outbox.linger}).
	 */
	public void wake() {
		synchronized (this.monitor) {
			this.woken = true;
			this.wakes++;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Returns the channel's counts as last counted: by the last idle round, or at most a second ago while rounds deliver.
	 * @return the counts
	 */
	public OutboxStats getStats() {
		return this.round.stats();
	}

	/**
	 * Ends a backoff at once and lets the breaker probe, because the resource's health check found it up again: the
	 * items waiting since the outage leave within a health check of the recovery, not after the breaker's open state
	 * and the relay's backoff.
	 */
	public void recovered() {
		this.gate.recovered();
		synchronized (this.monitor) {
			this.recovered = true;
			this.monitor.notifyAll();
		}
	}

	/**
	 * Starts delivering on a thread of its own, unless started already.
	 */
	public synchronized void start() {
		if (this.running) {
			return;
		}
		Thread relay = new Thread(this::loop, "attach-outbox-" + this.channel);
		relay.setDaemon(true);
		// A thread from an earlier start that is still finishing a delivery sees it is no longer current and ends.
		this.thread = relay;
		this.running = true;
		relay.start();
	}

	/**
	 * Stops delivering: the delivery in flight has {@code attach.outbox.shutdown-grace} to settle, the items not yet
	 * attempted are given back.
	 */
	public void stop() {
		Thread relay = halt();
		if (relay != null) {
			finish(relay);
		}
	}

	/**
	 * Stops delivering as {@link #stop()} does, off the caller's thread, and runs the callback once stopped.
	 * @param callback what to run once stopped
	 */
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

	/**
	 * Tells whether the relay is started.
	 * @return whether it delivers
	 */
	public boolean isRunning() {
		return this.running;
	}

	private synchronized @Nullable Thread halt() {
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
		RelayBatch batch = this.round.batchOf(relay);
		if (!relay.isAlive() || batch == null) {
			return;
		}
		List<OutboxItem> rest = batch.takeRest();
		if (rest == null) {
			return;
		}
		this.round.releaseQuietly(rest);
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
		RelayFailures failures = new RelayFailures(this.channel, this.store.location(), this.backoff);
		while (current()) {
			if (Thread.interrupted()) {
				// Nothing in attach interrupts this thread; whoever did must not end delivery for good.
				logger.warn("Outbox " + this.channel + ": relay thread interrupted; it goes on while started");
			}
			Duration wait;
			try {
				wait = this.round.run(failures, this::current);
				failures.storeUsed();
			}
			catch (RuntimeException ex) {
				// The store itself failed, such as the database being down: the items are safe where they are.
				wait = failures.storeFailed(ex);
			}
			catch (Throwable ex) {
				// Even an Error must not end the only thread that delivers; leased items return after their lease.
				wait = failures.relayFailed(ex);
			}
			await(failures, wait);
		}
	}

	private void await(RelayFailures failures, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		synchronized (this.monitor) {
			// While backing off from a failed service only a stop, or the service found up again, ends the wait early.
			if (waitUntil(deadline, () -> !this.woken || failures.backingOff()) && !wait.isZero()) {
				linger(deadline);
			}
			this.woken = false;
			this.recovered = false;
			this.wakes = 0;
		}
	}

	/**
	 * Holds a round that enqueues asked for until {@code attach.outbox.linger} after the start of the last round that
	 * found items, so that while items keep coming each round carries what came meanwhile instead of one item each;
	 * the first item after a quiet spell, a batch's worth waiting, a stop or a recovery go at once.
	 */
	private void linger(long deadline) {
		long until = this.round.busyAt() + this.properties.getLinger().toNanos();
		// Never past the round the relay would have run anyway: an enqueue must not make its item wait longer.
		waitUntil((until - deadline < 0) ? until : deadline, () -> this.wakes < this.properties.getBatchSize());
	}

	/**
	 * Waits on the monitor, held by the caller, while the relay is current, not recovered and the condition holds.
	 * @return whether the wait ended before the deadline, or at once, because the condition no longer held
	 */
	private boolean waitUntil(long deadline, BooleanSupplier condition) {
		while (current() && !this.recovered && condition.getAsBoolean()) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return false;
			}
			try {
				this.monitor.wait(Math.max(1, remaining / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

}
