package io.attach.outbox;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Status;

/**
 * Hears a resource's background health checks and tells its outbox when the resource is found up after it was not,
 * so that queued work leaves within a check of the recovery.
 *
 * @author attach
 */
final class RecoveryWake implements Consumer<Status> {

	private final Runnable recovered;

	private @Nullable Status last;

	RecoveryWake(Runnable recovered) {
		this.recovered = recovered;
	}

	@Override
	public synchronized void accept(Status status) {
		Status previous = this.last;
		this.last = status;
		// The first check too: the relay may have failed since before it, and waking a relay that is not backing off
		// costs one round.
		if (Status.UP.equals(status) && (previous == null || !Status.UP.equals(previous))) {
			this.recovered.run();
		}
	}

}
