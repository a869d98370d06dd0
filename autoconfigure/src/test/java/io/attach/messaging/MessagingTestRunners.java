package io.attach.messaging;

import java.util.UUID;

import io.attach.core.AttachAutoConfiguration;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

/**
 * Runners for the messaging tests that are not the conformance suite.
 *
 * @author attach
 */
final class MessagingTestRunners {

	private MessagingTestRunners() {
	}

	/**
	 * Returns a runner with messaging in-process and no database: the outbox keeps items in a spool directory.
	 * @param spool the spool directory
	 * @return the runner
	 */
	static ApplicationContextRunner withoutDatabase(java.nio.file.Path spool) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, JacksonAutoConfiguration.class,
					ResilienceAttachAutoConfiguration.class, OutboxAttachAutoConfiguration.class,
					MessagingAttachAutoConfiguration.class))
			.withPropertyValues("attach.outbox.directory=" + spool, "attach.outbox.poll-interval=100ms");
	}

	/**
	 * Returns a runner with messaging in-process and an H2 database of its own for the outbox and the inbox.
	 * @return the runner
	 */
	static ApplicationContextRunner withDatabase() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, JacksonAutoConfiguration.class,
					DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
					OutboxAttachAutoConfiguration.class, MessagingAttachAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:messaging_" + UUID.randomUUID()
					+ ";DB_CLOSE_DELAY=-1", "attach.outbox.store=jdbc", "attach.outbox.poll-interval=100ms",
					"spring.application.name=messaging-tests");
	}

}
