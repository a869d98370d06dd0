package io.attach.storage;

import io.attach.health.DownHealth;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Checks the attached storage with its backend's bounded probe, the bucket reachable or the directory writable, and
 * shows which backend and where, never the credentials.
 *
 * @author attach
 */
final class StorageCheck implements HealthIndicator {

	private final StorageProbe probe;

	private final String backend;

	private final String location;

	StorageCheck(StorageBackend backend) {
		this.probe = backend.probe();
		this.backend = backend.name();
		this.location = backend.files().capabilities().location();
	}

	@Override
	public Health health() {
		try {
			this.probe.probe();
			return Health.up().withDetail("backend", this.backend).withDetail("location", this.location).build();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return down(ex);
		}
		catch (Exception ex) {
			return down(ex);
		}
	}

	private Health down(Exception ex) {
		return DownHealth.of(ex).withDetail("backend", this.backend).withDetail("location", this.location).build();
	}

}
