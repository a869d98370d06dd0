package io.attach.messaging;

import java.nio.file.Path;

import io.attach.outbox.Outbox;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

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
	void withoutABrokerMessagesAreDeliveredInProcessWithAWarning(CapturedOutput output) {
		MessagingTestRunners.withoutDatabase(this.spool).run((context) -> {
			assertThat(context).hasSingleBean(InProcessMessageBroker.class)
				.hasSingleBean(OutboxMessagePublisher.class)
				.hasSingleBean(MessagingSubscriptions.class)
				.doesNotHaveBean(Inbox.class);
			assertThat(context.getBean("messagingOutbox", Outbox.class).getChannel()).isEqualTo("messaging");
			assertThat(output).contains("No AMQP_URL: messages are delivered only to this application's own");
		});
	}

	@Test
	void whenInProcessIsChosenThereIsNoWarning(CapturedOutput output) {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withPropertyValues("MESSAGING_BACKEND=in-process")
			.run((context) -> {
				assertThat(context).hasSingleBean(InProcessMessageBroker.class);
				assertThat(output).doesNotContain("No AMQP_URL");
			});
	}

	@Test
	void whenRabbitIsChosenTheInProcessBrokerIsNot() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:5672", "MESSAGING_BACKEND=rabbit")
			.run((context) -> assertThat(context).doesNotHaveBean(InProcessMessageBroker.class));
	}

	@Test
	void withADatabaseTheInboxTableIsCreated() {
		MessagingTestRunners.withDatabase().run((context) -> {
			assertThat(context).hasSingleBean(Inbox.class);
			assertThat(new JdbcTemplate(context.getBean(javax.sql.DataSource.class))
				.queryForList("SELECT group_name, message_id, handled_at FROM attach_inbox")).isEmpty();
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
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("The inbox table attach_inbox is missing and"
						+ " attach.messaging.inbox.initialize-schema is 'never': run CREATE TABLE IF NOT EXISTS attach_inbox"));
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

}
