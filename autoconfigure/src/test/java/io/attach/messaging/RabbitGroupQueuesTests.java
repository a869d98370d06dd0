package io.attach.messaging;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RabbitGroupQueues}.
 *
 * @author attach
 */
class RabbitGroupQueuesTests {

	private final RabbitGroupQueues queues = RabbitGroupQueues.of("attach.", "user.created", "mailer");

	@Test
	void defaultTiersAreNamedAfterTheirDelaysShortestFirst() {
		assertThat(this.queues.retries()).extracting(RabbitGroupQueues.Tier::queue)
			.containsExactly("attach.mailer:user.created:retry-1s", "attach.mailer:user.created:retry-10s",
					"attach.mailer:user.created:retry-1m", "attach.mailer:user.created:retry-10m");
		assertThat(this.queues.all()).containsExactly("attach.mailer:user.created",
				"attach.mailer:user.created:retry-1s", "attach.mailer:user.created:retry-10s",
				"attach.mailer:user.created:retry-1m", "attach.mailer:user.created:retry-10m",
				"attach.mailer:user.created:parked");
	}

	@Test
	void whenTheDelayFallsBetweenTiersThenItIsRoundedUp() {
		assertThat(this.queues.retry(Duration.ZERO).delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.queues.retry(Duration.ofMillis(800)).delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.queues.retry(Duration.ofSeconds(1)).delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(this.queues.retry(Duration.ofMillis(1001)).delay()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.queues.retry(Duration.ofSeconds(45)).delay()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void whenTheDelayExceedsTheLongestTierThenItIsCappedAtIt() {
		assertThat(this.queues.retry(Duration.ofHours(5)).queue()).isEqualTo("attach.mailer:user.created:retry-10m");
	}

	@Test
	void configuredTiersAreSortedAndDeduplicated() {
		RabbitGroupQueues custom = RabbitGroupQueues.of("p.", "t", "g",
				List.of(Duration.ofMillis(1500), Duration.ofHours(2), Duration.ofMillis(1500)));
		assertThat(custom.retries()).extracting(RabbitGroupQueues.Tier::queue)
			.containsExactly("p.g:t:retry-1500ms", "p.g:t:retry-2h");
	}

	@Test
	void whenARetryQueueNameWouldBeTooLongThenItIsRefused() {
		// 255 bytes fit ':parked' but not ':retry-1s'.
		String prefix = "p".repeat(255 - "g:t:parked".length());
		assertThatIllegalArgumentException().isThrownBy(() -> RabbitGroupQueues.of(prefix, "t", "g"))
			.withMessageContaining(":retry-1s'");
	}

}
