package io.attach.messaging;

import java.nio.file.Path;

import io.attach.outbox.Outbox;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MessagingAttachAutoConfiguration}.
 *
 * @author attach
 */
@org.junit.jupiter.api.extension.ExtendWith(OutputCaptureExtension.class)
class MessagingAttachAutoConfigurationTests {

	@TempDir
	Path spool;

	@Test
	void withoutABrokerMessagesAreDeliveredInProcessWithAWarningOnFirstUse(CapturedOutput output) {
		MessagingTestRunners.withoutDatabase(this.spool).run((context) -> {
			assertThat(context).hasSingleBean(InProcessMessageBroker.class)
				.hasSingleBean(OutboxMessagePublisher.class)
				.hasSingleBean(MessagingSubscriptions.class)
				.doesNotHaveBean(Inbox.class);
			assertThat(context.getBean("messagingOutbox", Outbox.class).getChannel()).isEqualTo("messaging");
			assertThat(output).doesNotContain("No AMQP_URL");
			context.getBean(Subscriptions.class).subscribe("t", "g", String.class, (message) -> {
			});
			context.getBean(Subscriptions.class).subscribe("t", "h", String.class, (message) -> {
			});
			assertThat(output.toString().split("No AMQP_URL: messages are delivered only to this application's own",
					-1)).hasSize(2);
		});
	}

	@Test
	void whenInProcessIsChosenThereIsNoWarning(CapturedOutput output) {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withPropertyValues("MESSAGING_BACKEND=in-process")
			.run((context) -> {
				assertThat(context).hasSingleBean(InProcessMessageBroker.class);
				context.getBean(Subscriptions.class).subscribe("t", "g", String.class, (message) -> {
				});
				assertThat(output).doesNotContain("No AMQP_URL");
			});
	}

	@Test
	void whenTheEnvironmentIntendsTheStandInThereIsNoWarning(CapturedOutput output) {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withPropertyValues("attach.stand-ins=mail, messaging")
			.run((context) -> {
				assertThat(context).hasSingleBean(InProcessMessageBroker.class);
				context.getBean(Subscriptions.class).subscribe("t", "g", String.class, (message) -> {
				});
				assertThat(output).doesNotContain("No AMQP_URL");
			});
	}

	@Test
	void whenRabbitIsChosenTheInProcessBrokerIsNot() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
			.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:5672", "MESSAGING_BACKEND=rabbit")
			.run((context) -> assertThat(context).doesNotHaveBean(InProcessMessageBroker.class)
				.hasSingleBean(RabbitMessageBroker.class));
	}

	@Test
	void withADatabaseTheInboxTableIsCreatedByTheFirstSubscription() {
		MessagingTestRunners.withDatabase().run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME ="
					+ " 'ATTACH_INBOX'", Integer.class)).isZero();
			context.getBean(Subscriptions.class).subscribe("t", "g", String.class, (message) -> {
			});
			assertThat(jdbc.queryForList("SELECT group_name, message_id, handled_at FROM attach_inbox")).isEmpty();
			assertThat(context.getBean(Inbox.class).isPurging()).isTrue();
		});
	}

	@Test
	void inProcessMessagingCreatesNoOutboxTableUntilItsFirstMessage() {
		// Every application with Jackson has in-process messaging: one that never publishes gets no table.
		MessagingTestRunners.withDatabase().run((context) -> {
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME ="
					+ " 'ATTACH_OUTBOX'", Integer.class)).isZero();
			context.getBean(MessagePublisher.class).publish("t", "payload");
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME ="
					+ " 'ATTACH_OUTBOX'", Integer.class)).isOne();
		});
	}

	@Test
	void inboxCanBeTurnedOff() {
		MessagingTestRunners.withDatabase()
			.withPropertyValues("attach.messaging.inbox.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(MessagePublisher.class).doesNotHaveBean(Inbox.class));
	}

	@Test
	void whenTheInboxTableIsMissingAndMayNotBeCreatedThenStartupFailsSayingWhatToRun() {
		MessagingTestRunners.withDatabase()
			.withPropertyValues("attach.messaging.inbox.initialize-schema=never")
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("The inbox table attach_inbox is missing and"
						+ " attach.messaging.inbox.initialize-schema is 'never': run CREATE TABLE IF NOT EXISTS attach_inbox"));
	}

	@Test
	void inboxStopsPurgingWithTheContext() {
		Inbox[] inbox = new Inbox[1];
		MessagingTestRunners.withDatabase().withBean(Subscriber.class).run((context) -> {
			inbox[0] = context.getBean(Inbox.class);
			assertThat(inbox[0].isPurging()).isTrue();
		});
		assertThat(inbox[0].isPurging()).isFalse();
	}

	@Test
	void publisherOfTheUsersWins() {
		MessagePublisher own = new MessagePublisher() {

			@Override
			public String publish(String topic, Object payload) {
				return "own";
			}

			@Override
			public String publish(OutgoingMessage message) {
				return "own";
			}

		};
		MessagingTestRunners.withoutDatabase(this.spool)
			.withBean(MessagePublisher.class, () -> own)
			.run((context) -> assertThat(context.getBean(MessagePublisher.class)).isSameAs(own));
	}

	@Test
	void withoutJacksonThereIsNoMessaging() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withClassLoader(new FilteredClassLoader(JsonMapper.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MessagePublisher.class)
				.doesNotHaveBean(MessageBroker.class));
	}

	@Test
	void inProcessOutboxRelaysOnlyOnceMessagingIsUsed() {
		MessagingTestRunners.withoutDatabase(this.spool).run((context) -> {
			Outbox outbox = context.getBean("messagingOutbox", Outbox.class);
			assertThat(outbox.isRunning()).isFalse();
			context.getBean(Subscriptions.class).subscribe("t", "g", String.class, (message) -> {
			});
			assertThat(outbox.isRunning()).isTrue();
		});
	}

	@Test
	void messagingCountersUseBootsMeterRegistryWhateverOrderTheAutoConfigurationsRunIn() {
		// Boot's registry comes from auto-configurations sorted after attach's: a bean condition on it never matched.
		MessagingTestRunners.withoutDatabase(this.spool)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean("messagingMetrics")).isInstanceOf(MessagingMetrics.class));
	}

	@Test
	void consumersStartBeforeTheOutboxRelaysAndStopAfterIt() {
		MessagingTestRunners.withoutDatabase(this.spool).run((context) -> {
			Outbox outbox = context.getBean("messagingOutbox", Outbox.class);
			assertThat(context.getBean(MessagingSubscriptions.class).getPhase()).isLessThan(outbox.getPhase());
		});
	}

	@Test
	void messagesOfAGroupThatIsNotSubscribedYetWaitInTheOutbox() {
		MessagingTestRunners.withoutDatabase(this.spool).run((context) -> {
			String id = context.getBean(MessagePublisher.class).publish("late", "hello");
			Outbox outbox = context.getBean("messagingOutbox", Outbox.class);
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> outbox.getStats().queued() == 1);
			java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
			context.getBean(Subscriptions.class)
				.subscribe("late", "latecomer", String.class, (message) -> received.add(message.id()));
			outbox.recovered();
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.until(() -> received.contains(id));
		});
	}

	static class Subscriber {

		@Subscribe(topic = "t", group = "g")
		void handle(String payload) {
		}

	}

}
