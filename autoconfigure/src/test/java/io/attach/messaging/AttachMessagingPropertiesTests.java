package io.attach.messaging;

import java.time.Duration;

import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AttachMessagingProperties}.
 *
 * @author attach
 */
class AttachMessagingPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Config.class);

	@Test
	void defaults() {
		this.runner.run((context) -> {
			AttachMessagingProperties properties = context.getBean(AttachMessagingProperties.class);
			assertThat(properties.getMaxAttempts()).isEqualTo(5);
			assertThat(properties.getRetry().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(properties.getRetry().getMaxInterval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(properties.getInbox().isEnabled()).isTrue();
			assertThat(properties.getInbox().getTable()).isEqualTo("attach_inbox");
			assertThat(properties.getInbox().getInitializeSchema())
				.isEqualTo(AttachMessagingProperties.InitializeSchema.ALWAYS);
			assertThat(properties.getInbox().getRetention()).isEqualTo(Duration.ofDays(7));
			assertThat(properties.getInbox().getPurgeInterval()).isEqualTo(Duration.ofHours(1));
		});
	}

	@Test
	void settingsBind() {
		this.runner
			.withPropertyValues("attach.messaging.max-attempts=2", "attach.messaging.retry.initial-interval=200ms",
					"attach.messaging.inbox.table=app.inbox", "attach.messaging.inbox.retention=30d",
					"attach.messaging.inbox.initialize-schema=never")
			.run((context) -> {
				AttachMessagingProperties properties = context.getBean(AttachMessagingProperties.class);
				assertThat(properties.getMaxAttempts()).isEqualTo(2);
				assertThat(properties.getRetry().getInitialInterval()).isEqualTo(Duration.ofMillis(200));
				assertThat(properties.getInbox().getTable()).isEqualTo("app.inbox");
				assertThat(properties.getInbox().getRetention()).isEqualTo(Duration.ofDays(30));
				assertThat(properties.getInbox().getInitializeSchema())
					.isEqualTo(AttachMessagingProperties.InitializeSchema.NEVER);
			});
	}

	@Test
	void maxAttemptsBelowOneIsRefused() {
		this.runner.withPropertyValues("attach.messaging.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.messaging.max-attempts is 0"));
	}

	@Test
	void tableNameThatIsNotAnIdentifierIsRefused() {
		this.runner.withPropertyValues("attach.messaging.inbox.table=inbox; DROP TABLE users")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.messaging.inbox.table"));
	}

	@Test
	void retentionMustBePositive() {
		this.runner.withPropertyValues("attach.messaging.inbox.retention=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("attach.messaging.inbox.retention"));
	}

	@EnableConfigurationProperties(AttachMessagingProperties.class)
	static class Config {

	}

}
