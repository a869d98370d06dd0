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

	@Test
	void whenTimeoutIsNegativeThenNoMillisecondsAreGiven() {
		assertThatIllegalArgumentException().isThrownBy(() -> Timeouts.millis(Duration.ofMillis(-1)))
			.withMessage("Timeout PT-0.001S is not positive: attach never waits forever");
	}

	@Test
	void whenTimeoutIsJustUnderTheCapThenItIsKept() {
		assertThat(Timeouts.millis(Duration.ofMillis(Integer.MAX_VALUE - 1))).isEqualTo(Integer.MAX_VALUE - 1);
	}

	@Test
	void whenTimeoutOfAClientIsZeroThenTheErrorNamesTheClientAndTheFallback() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Timeouts.requirePositive("spring.data.redis.timeout", Duration.ZERO, "Lettuce",
					"attach.redis.command-timeout"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage())
					.startsWith("spring.data.redis.timeout is 0ms, which Lettuce reads as waiting forever. ");
				assertThat(ex.getAction()).isEqualTo("Give a positive duration such as 500ms, or remove it to use "
						+ "attach.redis.command-timeout: attach never waits forever.");
			});
	}

	@Test
	void whenTimeoutHasNoFallbackThenTheActionOffersNone() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> Timeouts.requirePositive(Duration.ofSeconds(-3), "the driver", "a number", null,
					(problem, action) -> new IllegalStateException(problem + " | " + action)))
			.withMessage("which is not a positive duration | Give a number: attach never waits forever.");
	}

}
