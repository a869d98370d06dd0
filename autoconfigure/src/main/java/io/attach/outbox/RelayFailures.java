package io.attach.outbox;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The failure accounting of one relay thread: how many rounds failed in a row, which the relay backs off by, and the
 * outage of the service or the store, reported once when it begins and once when it ends however many rounds fail
 * in between. Read and written by that thread alone.
 *
 * @author attach
 */
final class RelayFailures {

	private static final Log logger = LogFactory.getLog(OutboxRelay.class);

	private final String channel;

	private final String location;

	private final Backoff backoff;

	private int failures;

	private @Nullable Instant outageSince;

	private int outageFailures;

	private boolean storeFailing;

	RelayFailures(String channel, String location, Backoff backoff) {
		this.channel = channel;
		this.location = location;
		this.backoff = backoff;
	}

	/**
	 * Tells whether the last rounds failed, so that the relay waits out its backoff rather than be woken by enqueues.
	 * @return whether the relay is backing off
	 */
	boolean backingOff() {
		return this.failures > 0;
	}

	/**
	 * Tells whether the service has failed since it last answered.
	 * @return whether an outage goes on
	 */
	boolean inOutage() {
		return this.outageSince != null;
	}

	/**
	 * Returns how many rounds failed in a row.
	 * @return the count
	 */
	int failures() {
		return this.failures;
	}

	/**
	 * Counts a failed call to the service, and says so when it begins an outage.
	 * @param message what went wrong, without secrets
	 * @return how long to wait before the next round
	 */
	Duration serviceFailed(String message) {
		this.failures++;
		this.outageFailures++;
		Duration wait = this.backoff.after(this.failures);
		if (this.outageSince == null) {
			this.outageSince = Instant.now();
			logger.warn("Outbox " + this.channel + ": delivery failed, items stay queued and are retried with backoff"
					+ " until the service answers again: " + message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Outbox " + this.channel + ": attempt " + this.outageFailures + " failed, next in " + wait + ": "
					+ message);
		}
		return wait;
	}

	/**
	 * Returns the wait while the breaker refuses calls: nothing was attempted, so nothing more is counted.
	 * @return how long to wait before the next round
	 */
	Duration notPermitted() {
		return this.backoff.after(Math.max(1, this.failures));
	}

	/**
	 * Ends the outage, if any, because the service answered, even if only to refuse an item.
	 */
	void answered() {
		if (this.outageSince != null) {
			endOutage("delivering again");
		}
		this.failures = 0;
	}

	/**
	 * Accounts for a round that found nothing due: it says nothing about the service, so its outage goes on while the
	 * items it failed wait on their backoff, unless none is queued any more.
	 * @param queued how many items are queued, by any instance
	 */
	void idle(long queued) {
		if (this.outageSince != null && queued == 0) {
			// Delivered by another instance or removed: nothing is left to back off from, and new items go out at once.
			endOutage("no item is queued any more");
		}
		else if (this.outageSince == null) {
			this.failures = 0;
		}
	}

	/**
	 * Counts a round that could not start because the store is not ready yet.
	 * @return how long to wait before the next round
	 */
	Duration notReady() {
		return this.backoff.after(++this.failures);
	}

	/**
	 * Counts a round the store failed, such as with the database down, saying so once per outage of the store.
	 * @param ex the store's failure
	 * @return how long to wait before the next round
	 */
	Duration storeFailed(RuntimeException ex) {
		this.failures++;
		String message = "Outbox " + this.channel + ": cannot use the " + this.location
				+ ", items stay where they are and it is tried again with backoff: " + ex.getMessage();
		if (!this.storeFailing) {
			this.storeFailing = true;
			logger.warn(message);
		}
		else {
			logger.debug(message);
		}
		return this.backoff.after(this.failures);
	}

	/**
	 * Notes a round the store served, saying so when it failed before.
	 */
	void storeUsed() {
		if (this.storeFailing) {
			this.storeFailing = false;
			logger.info("Outbox " + this.channel + ": the " + this.location + " can be used again");
		}
	}

	/**
	 * Counts a round that failed in attach or the JVM: even an Error must not end the only thread that delivers.
	 * @param ex the failure
	 * @return how long to wait before the next round
	 */
	Duration relayFailed(Throwable ex) {
		this.failures++;
		logger.error("Outbox " + this.channel + ": relay round failed", ex);
		return this.backoff.after(this.failures);
	}

	private void endOutage(String how) {
		Instant since = this.outageSince;
		logger.info("Outbox " + this.channel + ": " + how + " after " + this.outageFailures + " failed attempt(s) over "
				+ ((since != null) ? Duration.between(since, Instant.now()).withNanos(0) : Duration.ZERO));
		this.outageSince = null;
		this.outageFailures = 0;
		this.failures = 0;
	}

}
