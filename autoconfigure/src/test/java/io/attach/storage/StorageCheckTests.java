package io.attach.storage;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StorageCheck}.
 *
 * @author attach
 */
class StorageCheckTests {

	@Test
	void whenTheProbePassesThenTheStorageIsUpWithItsBackendAndLocation() {
		Health health = new StorageCheck(new StorageBackend("memory", new GuardedFileStorageTests.FlakyStorage(), () -> {
		})).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("backend", "memory").containsEntry("location", "memory");
	}

	@Test
	void whenTheProbeFailsThenTheStorageIsDownSayingWhy() {
		Health health = new StorageCheck(new StorageBackend("memory", new GuardedFileStorageTests.FlakyStorage(), () -> {
			throw new IOException("bucket not reachable");
		})).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("backend", "memory")
			.containsEntry("location", "memory")
			.containsEntry("error", "java.io.IOException: bucket not reachable");
	}

	@Test
	void whenTheProbeIsInterruptedThenTheThreadKeepsItsInterrupt() {
		Health health = new StorageCheck(new StorageBackend("memory", new GuardedFileStorageTests.FlakyStorage(), () -> {
			throw new InterruptedException();
		})).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(Thread.interrupted()).isTrue();
	}

}
