package io.attach.outbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RelayFailures}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class RelayFailuresTests {

	private final RelayFailures failures = new RelayFailures("mail", "table attach_outbox",
			new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30)));

	@Test
	void whenTheServiceFailsAgainAndAgainThenEachWaitIsLongerAndTheOutageIsReportedOnce(CapturedOutput output) {
		assertThat(this.failures.backingOff()).isFalse();
		assertThat(this.failures.serviceFailed("Connection refused")).isBetween(Duration.ofMillis(500),
				Duration.ofSeconds(1));
		assertThat(this.failures.serviceFailed("Connection refused")).isBetween(Duration.ofSeconds(1),
				Duration.ofSeconds(2));
		assertThat(this.failures.serviceFailed("Connection refused")).isBetween(Duration.ofSeconds(2),
				Duration.ofSeconds(4));
		assertThat(this.failures.backingOff()).isTrue();
		assertThat(this.failures.inOutage()).isTrue();
		assertThat(lines(output, "delivery failed")).isOne();
		this.failures.answered();
		assertThat(this.failures.backingOff()).isFalse();
		assertThat(this.failures.inOutage()).isFalse();
		assertThat(output).contains("Outbox mail: delivering again after 3 failed attempt(s)");
		this.failures.answered();
		assertThat(lines(output, "delivering again")).isOne();
	}

	@Test
	void whenTheBreakerRefusesThenTheWaitFollowsTheFailuresSoFarWithoutCountingOne() {
		assertThat(this.failures.notPermitted()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(this.failures.failures()).isZero();
		this.failures.serviceFailed("Connection refused");
		this.failures.serviceFailed("Connection refused");
		assertThat(this.failures.notPermitted()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
		assertThat(this.failures.failures()).isEqualTo(2);
	}

	@Test
	void whenAnIdleRoundFindsItemsStillQueuedThenTheOutageGoesOn(CapturedOutput output) {
		this.failures.serviceFailed("Connection refused");
		this.failures.idle(1);
		assertThat(this.failures.inOutage()).isTrue();
		assertThat(this.failures.failures()).isOne();
		this.failures.idle(0);
		assertThat(this.failures.inOutage()).isFalse();
		assertThat(this.failures.backingOff()).isFalse();
		assertThat(output).contains("Outbox mail: no item is queued any more after 1 failed attempt(s)");
	}

	@Test
	void whenAnIdleRoundFollowsAStoreThatWasNotReadyThenTheBackoffStartsOver() {
		this.failures.notReady();
		assertThat(this.failures.notReady()).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
		this.failures.idle(5);
		assertThat(this.failures.backingOff()).isFalse();
		assertThat(this.failures.notReady()).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
	}

	@Test
	void whenTheStoreFailsAgainAndAgainThenItIsReportedOnceAndOnceWhenItCanBeUsedAgain(CapturedOutput output) {
		RuntimeException down = new IllegalStateException("Connection to the database refused");
		assertThat(this.failures.storeFailed(down)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(this.failures.storeFailed(down)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
		assertThat(lines(output, "cannot use the table attach_outbox")).isOne();
		assertThat(output).contains("Connection to the database refused");
		this.failures.storeUsed();
		this.failures.storeUsed();
		assertThat(lines(output, "the table attach_outbox can be used again")).isOne();
	}

	@Test
	void whenARoundFailsInTheRelayItselfThenItIsLoggedAndBackedOffFrom(CapturedOutput output) {
		assertThat(this.failures.relayFailed(new OutOfMemoryError("simulated"))).isBetween(Duration.ofMillis(500),
				Duration.ofSeconds(1));
		assertThat(this.failures.backingOff()).isTrue();
		assertThat(output).contains("Outbox mail: relay round failed", "simulated");
	}

	private static long lines(CapturedOutput output, String text) {
		return output.getOut().lines().filter((line) -> line.contains(text)).count();
	}

}
