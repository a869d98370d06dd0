package io.attach.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Timeouts}.
 *
 * @author attach
 */
class TimeoutsTests {

	@Test
	void whenTimeoutIsUnderAMillisecondThenItIsOneMillisecondRatherThanZero() {
		assertThat(Timeouts.millis(Duration.ofNanos(1))).isEqualTo(1);
		assertThat(Timeouts.millis(Duration.ofNanos(500_000))).isEqualTo(1);
	}

	@Test
	void whenTimeoutHasAPartialMillisecondThenItIsRoundedUp() {
		assertThat(Timeouts.millis(Duration.ofNanos(1_500_000))).isEqualTo(2);
		assertThat(Timeouts.millis(Duration.ofMillis(250))).isEqualTo(250);
	}

	@Test
	void whenTimeoutExceedsAnIntOfMillisecondsThenItIsCapped() {
		assertThat(Timeouts.millis(Duration.ofDays(30))).isEqualTo(Integer.MAX_VALUE);
		assertThat(Timeouts.millis(Duration.ofSeconds(Long.MAX_VALUE))).isEqualTo(Integer.MAX_VALUE);
	}

	@Test
	void whenTimeoutIsZeroThenNoMillisecondsAreGiven() {
		assertThatIllegalArgumentException().isThrownBy(() -> Timeouts.millis(Duration.ZERO));
	}

	@Test
	void whenTimeoutOfASettingIsNotPositiveThenTheErrorNamesTheSetting() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Timeouts.requirePositive("attach.health.interval", Duration.ZERO))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("attach.health.interval");
				assertThat(ex.getMessage()).startsWith("attach.health.interval is 0ms").contains("waiting forever");
				assertThat(ex.getAction()).contains("attach never waits forever");
			});
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Timeouts.requirePositive("attach.jdbc.connect-timeout", Duration.ofSeconds(-1)))
			.withMessageStartingWith("attach.jdbc.connect-timeout is -1000ms, which is not a positive duration");
	}

	@Test
	void whenTimeoutIsUnderAMillisecondThenItIsPositive() {
		assertThat(Timeouts.requirePositive("attach.outbox.shutdown-grace", Duration.ofNanos(500_000)))
			.isEqualTo(Duration.ofNanos(500_000));
	}

}
