package io.attach.messaging;

import java.time.Duration;

import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RabbitMessagingProperties}.
 *
 * @author attach
 */
class RabbitMessagingPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Config.class);

	@Test
	void consumersHandleUpToAPrefetchOfMessagesInOneTransactionByDefault() {
		this.runner.run((context) -> {
			RabbitMessagingProperties properties = context.getBean(RabbitMessagingProperties.class);
			assertThat(properties.getPrefetch()).isEqualTo(16);
			assertThat(properties.getBatchSize()).isEqualTo(16);
			assertThat(properties.getBatchWait()).isEqualTo(Duration.ofMillis(5));
		});
	}

	@Test
	void batchSettingsBind() {
		this.runner
			.withPropertyValues("attach.messaging.rabbit.batch-size=1", "attach.messaging.rabbit.batch-wait=10ms")
			.run((context) -> {
				RabbitMessagingProperties properties = context.getBean(RabbitMessagingProperties.class);
				assertThat(properties.getBatchSize()).isOne();
				assertThat(properties.getBatchWait()).isEqualTo(Duration.ofMillis(10));
			});
	}

	@Test
	void batchSizeBelowOneIsRefused() {
		this.runner.withPropertyValues("attach.messaging.rabbit.batch-size=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.messaging.rabbit.batch-size is 0"));
	}

	@Test
	void batchSizeOverThirtyTwoIsRefused() {
		this.runner.withPropertyValues("attach.messaging.rabbit.batch-size=33")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.messaging.rabbit.batch-size is 33. Give 1")
				.hasMessageContaining("or up to 32"));
	}

	@Test
	void batchWaitMustBePositive() {
		this.runner.withPropertyValues("attach.messaging.rabbit.batch-wait=0ms")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.messaging.rabbit.batch-wait"));
	}

	@Test
	void batchWaitOverASecondIsRefused() {
		this.runner.withPropertyValues("attach.messaging.rabbit.batch-wait=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.messaging.rabbit.batch-wait is PT2S. Give at most 1s"));
	}

	@EnableConfigurationProperties(RabbitMessagingProperties.class)
	static class Config {

	}

}
