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

	@Test
	void whenWaitsAreDrawnThenTheyCoverTheWholeUpperHalfAndNoMore() {
		Backoff backoff = new Backoff(Duration.ofMillis(8), 3, Duration.ofSeconds(1));
		// Five values, each drawn with a chance of one in five: a thousand draws miss one with a chance of 10^-96.
		assertThat(draws(backoff, 1)).containsOnly(4L, 5L, 6L, 7L, 8L).contains(4L, 8L);
		assertThat(draws(backoff, 2)).allSatisfy((wait) -> assertThat(wait).isBetween(12L, 24L)).contains(12L, 24L);
	}

	@Test
	void whenNoFailureIsCountedYetThenTheWaitIsTheFirstOne() {
		Backoff backoff = new Backoff(Duration.ofMillis(8), 2, Duration.ofSeconds(1));
		assertThat(draws(backoff, 0)).containsOnly(4L, 5L, 6L, 7L, 8L);
	}

	@Test
	void whenTheCeilingIsReachedThenWaitsStopGrowing() {
		Backoff backoff = new Backoff(Duration.ofMillis(8), 2, Duration.ofMillis(20));
		assertThat(draws(backoff, 3)).allSatisfy((wait) -> assertThat(wait).isBetween(10L, 20L)).contains(20L);
		assertThat(draws(backoff, 60)).allSatisfy((wait) -> assertThat(wait).isBetween(10L, 20L));
	}

	private static java.util.List<Long> draws(Backoff backoff, int failures) {
		return IntStream.range(0, 1000).mapToObj((i) -> backoff.after(failures).toMillis()).toList();
	}

}
