package io.attach.outbox;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Backoff}.
 *
 * @author attach
 */
class BackoffTests {

	@Test
	void whenWaitsAreUnderAMillisecondThenTheRelayStillWaits() {
		Backoff backoff = new Backoff(Duration.ofNanos(500_000), 2, Duration.ofNanos(500_000));
		// Drawn from [0, 1] ms: a hundred draws of 0 would mean the sub-millisecond setting was read as no wait at all.
		assertThat(IntStream.range(0, 100).mapToObj((i) -> backoff.after(1))).contains(Duration.ofMillis(1));
	}

	@Test
	void whenFailuresAddUpThenWaitsGrowFromTheUpperHalfUpToTheCeiling() {
		Backoff backoff = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30));
		assertThat(backoff.after(1)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(backoff.after(3)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		assertThat(backoff.after(20)).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(30));
	}

}
