package io.attach.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AttachSummary}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class AttachSummaryTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class));

	@Test
	void whenTheApplicationStartsThenOneLineSaysForEveryKindWhereItComesFromOrWhatStandsIn(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("DATABASE_URL=postgres://app:canary@db.internal:5432/shop",
					"spring.data.redis.host=cache.internal")
			.run((context) -> {
				assertThat(context.getBean(AttachSummary.class).lines()).containsSubsequence(
						"database from DATABASE_URL",
						"cache not attached (no REDIS_URL): Spring Boot's own, from spring.data.redis.host",
						"mail not attached (no SMTP_URL): the console backend, to log mail instead of sending it",
						"messaging not attached (no AMQP_URL): the in-process backend, to deliver messages inside this "
								+ "application, with no broker",
						"storage not attached (no STORAGE_URL): the local backend, to store files in a local directory");
				assertThat(output).containsOnlyOnce("Resources: ").contains("; database from DATABASE_URL; cache not attached")
					.doesNotContain("canary");
			});
	}

	@Test
	void whenNothingIsAttachedOrConfiguredThenTheKindsSayWhatTheApplicationGetsInstead() {
		this.contextRunner.run((context) -> assertThat(context.getBean(AttachSummary.class).lines()).contains(
				"database not attached (no DATABASE_URL): Spring Boot's DataSource, an embedded database such as H2 "
						+ "when one is on the classpath",
				"cache not attached (no REDIS_URL): Spring's cache as Spring Boot configures it without Redis, in "
						+ "memory or none"));
	}

}
