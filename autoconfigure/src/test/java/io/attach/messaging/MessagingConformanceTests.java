package io.attach.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.core.AttachAutoConfiguration;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract every messaging backend passes, in the style of Watermill's pub/sub tests: a subclass supplies the
 * backend's configuration and, if it likes, the database the outbox and the inbox use (H2 in memory by default).
 * Every test uses topics and groups of its own, so that a shared broker keeps no state between them; a subclass for a
 * real broker deletes what they declared in {@link #cleanUp(List, List)}.
 *
 * @author attach
 */
public abstract class MessagingConformanceTests {

	private static final AtomicInteger counter = new AtomicInteger();

	/**
	 * A short, unique suffix of this test's names.
	 */
	protected final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

	private final List<String> topics = new ArrayList<>();

	private final List<String> groups = new ArrayList<>();

	/**
	 * Adds the backend's auto-configurations and settings to a runner that has everything else messaging needs.
	 * @param runner the runner, with the database, the outbox and messaging configured
	 * @return the runner for this backend
	 */
	protected abstract ApplicationContextRunner backend(ApplicationContextRunner runner);

	/**
	 * Returns the JDBC URL of the database that holds the outbox and the inbox.
	 * @return the URL; an H2 database in memory of this test's own by default
	 */
	protected String databaseUrl() {
		return "jdbc:h2:mem:conformance_" + this.suffix + ";DB_CLOSE_DELAY=-1";
	}

	/**
	 * Returns the user the database is opened as.
	 * @return the user
	 */
	protected String databaseUser() {
		return "sa";
	}

	/**
	 * Returns how long a test waits for a message to arrive, or to be parked.
	 * @return the longest wait
	 */
	protected Duration timeout() {
		return Duration.ofSeconds(30);
	}

	/**
	 * Deletes what the backend keeps of the topics and groups a test used, such as a broker's exchanges and queues.
	 * @param topics the topics
	 * @param groups the groups
	 */
	protected void cleanUp(List<String> topics, List<String> groups) {
	}

	/**
	 * Returns a topic name of this test's own.
	 * @param name what it is for
	 * @return the topic
	 */
	protected final String topic(String name) {
		String topic = "conformance." + name + "." + this.suffix + "." + counter.incrementAndGet();
		this.topics.add(topic);
		return topic;
	}

	/**
	 * Returns a group name of this test's own.
	 * @param name what it is for
	 * @return the group
	 */
	protected final String group(String name) {
		String group = name + "-" + this.suffix + "-" + counter.incrementAndGet();
		this.groups.add(group);
		return group;
	}

	private String tablePrefix() {
		return "conf_" + this.suffix;
	}

	private ApplicationContextRunner runner() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, JacksonAutoConfiguration.class,
					DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
					OutboxAttachAutoConfiguration.class, MessagingAttachAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("spring.application.name=conformance-" + this.suffix,
					"spring.datasource.url=" + databaseUrl(), "spring.datasource.username=" + databaseUser(),
					"attach.outbox.store=jdbc", "attach.outbox.table=" + tablePrefix() + "_outbox",
					"attach.messaging.inbox.table=" + tablePrefix() + "_inbox", "attach.outbox.poll-interval=100ms",
					"attach.outbox.retry.initial-interval=100ms", "attach.outbox.retry.max-interval=500ms",
					"attach.messaging.retry.initial-interval=50ms", "attach.messaging.retry.max-interval=200ms",
					"attach.messaging.max-attempts=3");
		return backend(runner);
	}

	@AfterEach
	void dropTablesAndBackendState() {
		try {
			cleanUp(List.copyOf(this.topics), List.copyOf(this.groups));
		}
		finally {
			SingleConnectionDataSource dataSource = new SingleConnectionDataSource(databaseUrl(), databaseUser(), "",
					true);
			try {
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				jdbc.execute("DROP TABLE IF EXISTS " + tablePrefix() + "_outbox");
				jdbc.execute("DROP TABLE IF EXISTS " + tablePrefix() + "_inbox");
			}
			finally {
				dataSource.destroy();
			}
		}
	}

	@Test
	void messageArrivesWithItsKeyHeadersAndId() {
		String topic = topic("round-trip");
		runner().run((context) -> {
			Recording<Greeting> received = subscribe(context, topic, group("receiver"));
			String id = publisher(context).publish(OutgoingMessage.of(topic, new Greeting("hello", 42))
				.withKey("customer-7")
				.withHeader("tenant", "acme")
				.withId("order-" + this.suffix));
			assertThat(id).isEqualTo("order-" + this.suffix);
			ReceivedMessage<Greeting> message = received.awaitOne(timeout());
			assertThat(message.id()).isEqualTo(id);
			assertThat(message.topic()).isEqualTo(topic);
			assertThat(message.key()).isEqualTo("customer-7");
			assertThat(message.headers()).containsExactly(Map.entry("tenant", "acme"));
			assertThat(message.payload()).isEqualTo(new Greeting("hello", 42));
			assertThat(message.attempt()).isOne();
		});
	}

	@Test
	void publishReturnsTheIdTheHandlerSees() {
		String topic = topic("ids");
		runner().run((context) -> {
			Recording<Greeting> received = subscribe(context, topic, group("receiver"));
			String first = publisher(context).publish(topic, new Greeting("one", 1));
			String second = publisher(context).publish(topic, new Greeting("two", 2));
			assertThat(first).isNotEqualTo(second);
			received.awaitCount(2, timeout());
			assertThat(received.ids()).containsExactlyInAnyOrder(first, second);
		});
	}

	@Test
	void everyGroupReceivesEveryMessage() {
		String topic = topic("fan-out");
		runner().run((context) -> {
			Recording<Greeting> billing = subscribe(context, topic, group("billing"));
			Recording<Greeting> mailing = subscribe(context, topic, group("mailing"));
			List<String> ids = publish(context, topic, 3);
			billing.awaitCount(3, timeout());
			mailing.awaitCount(3, timeout());
			assertThat(billing.ids()).containsExactlyInAnyOrderElementsOf(ids);
			assertThat(mailing.ids()).containsExactlyInAnyOrderElementsOf(ids);
		});
	}

	@Test
	void consumersOfOneGroupShareItsMessages() {
		String topic = topic("compete");
		String group = group("workers");
		runner().run((context) -> {
			Recording<Greeting> first = subscribe(context, topic, group);
			Recording<Greeting> second = subscribe(context, topic, group);
			List<String> ids = publish(context, topic, 20);
			await().atMost(timeout()).until(() -> first.size() + second.size() >= 20);
			List<String> all = new ArrayList<>(first.ids());
			all.addAll(second.ids());
			assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
			assertThat(first.size()).isPositive();
			assertThat(second.size()).isPositive();
		});
	}

	@Test
	void parkedMessageIsDeliveredOnceWhenRequeued() {
		String topic = topic("park");
		String group = group("picky");
		runner().run((context) -> {
			AtomicInteger refusals = new AtomicInteger();
			Recording<Greeting> received = new Recording<>();
			subscriptions(context).subscribe(topic, group, Greeting.class, (message) -> {
				if (refusals.getAndIncrement() == 0) {
					throw new ParkMessageException("not today");
				}
				received.handle(message);
			});
			String id = publisher(context).publish(topic, new Greeting("later", 1));
			MessageBroker broker = context.getBean(MessageBroker.class);
			MessageBroker.ParkedMessage parked = awaitParked(broker, group, id);
			assertThat(parked.topic()).isEqualTo(topic);
			assertThat(parked.reason()).hasValueSatisfying((reason) -> assertThat(reason).contains("not today"));
			assertThat(refusals).hasValue(1);
			assertThat(broker.requeue(group, id)).isTrue();
			ReceivedMessage<Greeting> message = received.awaitOne(timeout());
			assertThat(message.id()).isEqualTo(id);
			assertThat(message.attempt()).isOne();
			assertThat(broker.parked(1000)).noneMatch((candidate) -> candidate.id().equals(id));
			assertThat(broker.requeue(group, id)).isFalse();
			assertThat(received.ids()).containsExactly(id);
		});
	}

	@Test
	void parkedMessageCanBeDiscarded() {
		String topic = topic("discard");
		String group = group("refuser");
		runner().run((context) -> {
			subscriptions(context).subscribe(topic, group, Greeting.class, (message) -> {
				throw new ParkMessageException("never");
			});
			String id = publisher(context).publish(topic, new Greeting("never", 0));
			MessageBroker broker = context.getBean(MessageBroker.class);
			awaitParked(broker, group, id);
			assertThat(broker.discard(group, id)).isTrue();
			assertThat(broker.parked(1000)).noneMatch((candidate) -> candidate.id().equals(id));
			assertThat(broker.discard(group, id)).isFalse();
		});
	}

	@Test
	void retryLaterRedeliversAsTheNextAttempt() {
		String topic = topic("retry");
		runner().run((context) -> {
			List<Integer> attempts = new CopyOnWriteArrayList<>();
			Recording<Greeting> received = new Recording<>();
			subscriptions(context).subscribe(topic, group("patient"), Greeting.class, (message) -> {
				attempts.add(message.attempt());
				if (message.attempt() == 1) {
					throw new RetryLaterException("not yet");
				}
				received.handle(message);
			});
			String id = publisher(context).publish(topic, new Greeting("again", 2));
			assertThat(received.awaitOne(timeout()).id()).isEqualTo(id);
			assertThat(attempts).containsExactly(1, 2);
			assertThat(counter(context, "attach.messaging.retried", topic)).isEqualTo(1);
		});
	}

	@Test
	void messageIsParkedOnceItsAttemptsRunOut() {
		String topic = topic("exhaust");
		String group = group("failing");
		runner().run((context) -> {
			List<Integer> attempts = new CopyOnWriteArrayList<>();
			subscriptions(context).subscribe(topic, group, Greeting.class, (message) -> {
				attempts.add(message.attempt());
				throw new IllegalStateException("broken handler");
			});
			String id = publisher(context).publish(topic, new Greeting("doomed", 3));
			MessageBroker.ParkedMessage parked = awaitParked(context.getBean(MessageBroker.class), group, id);
			assertThat(attempts).containsExactly(1, 2, 3);
			assertThat(parked.attempts()).isEqualTo(3);
			assertThat(parked.reason()).hasValueSatisfying((reason) -> assertThat(reason).contains("broken handler"));
			assertThat(counter(context, "attach.messaging.parked", topic)).isEqualTo(1);
		});
	}

	@Test
	void rolledBackPublishIsNeverDelivered() {
		String topic = topic("rollback");
		runner().run((context) -> {
			Recording<Greeting> received = subscribe(context, topic, group("auditor"));
			TransactionTemplate transaction = new TransactionTemplate(
					context.getBean(PlatformTransactionManager.class));
			String rolledBack = transaction.execute((status) -> {
				String id = publisher(context).publish(topic, new Greeting("rolled back", 0));
				status.setRollbackOnly();
				return id;
			});
			String committed = transaction
				.execute((status) -> publisher(context).publish(topic, new Greeting("committed", 1)));
			assertThat(received.awaitOne(timeout()).id()).isEqualTo(committed);
			assertThat(received.ids()).doesNotContain(rolledBack);
			assertThat(counter(context, "attach.messaging.published", topic)).isEqualTo(1);
		});
	}

	@Test
	void messagePublishedTwiceUnderOneIdIsHandledOnce() {
		String topic = topic("dedupe");
		String group = group("once");
		runner().run((context) -> {
			Recording<Greeting> received = subscribe(context, topic, group);
			String id = "dedupe-" + this.suffix;
			publisher(context).publish(OutgoingMessage.of(topic, new Greeting("first", 1)).withId(id));
			publisher(context).publish(OutgoingMessage.of(topic, new Greeting("second", 2)).withId(id));
			await().atMost(timeout()).until(() -> counter(context, "attach.messaging.duplicates", topic) == 1);
			assertThat(received.ids()).containsExactly(id);
			assertThat(counter(context, "attach.messaging.consumed", topic)).isEqualTo(1);
		});
	}

	@Test
	void idReusedOnAnotherTopicIsHandledOnEach() {
		String created = topic("created");
		String paid = topic("paid");
		String group = group("both");
		runner().run((context) -> {
			Recording<Greeting> received = subscribe(context, created, group);
			subscriptions(context).subscribe(paid, group, Greeting.class, received);
			String id = "reused-" + this.suffix;
			publisher(context).publish(OutgoingMessage.of(created, new Greeting("created", 1)).withId(id));
			publisher(context).publish(OutgoingMessage.of(paid, new Greeting("paid", 2)).withId(id));
			received.awaitCount(2, timeout());
			assertThat(received.ids()).containsExactly(id, id);
			assertThat(counter(context, "attach.messaging.duplicates", paid)).isZero();
		});
	}

	@Test
	void unreadablePayloadIsParked() {
		String topic = topic("unreadable");
		String group = group("strict");
		runner().run((context) -> {
			Recording<Greeting> received = subscribe(context, topic, group);
			String id = publisher(context).publish(topic, List.of("not", "a", "greeting"));
			MessageBroker.ParkedMessage parked = awaitParked(context.getBean(MessageBroker.class), group, id);
			assertThat(parked.reason()).hasValueSatisfying((reason) -> assertThat(reason).contains("Unreadable"));
			assertThat(parked.attempts()).isOne();
			assertThat(received.size()).isZero();
		});
	}

	@Test
	void declaredSubscriptionReceivesMessages() {
		String topic = topic("declared");
		runner().withUserConfiguration(DeclaredSubscriber.class)
			.withPropertyValues("conformance.topic=" + topic, "conformance.group=" + group("declared"))
			.run((context) -> {
				String id = publisher(context).publish(topic, new Greeting("declared", 5));
				DeclaredSubscriber subscriber = context.getBean(DeclaredSubscriber.class);
				assertThat(subscriber.payloads.awaitOne(timeout()).id()).isEqualTo(id);
				await().atMost(timeout()).until(() -> subscriber.greetings.size() == 1);
				assertThat(subscriber.greetings).containsExactly(new Greeting("declared", 5));
			});
	}

	@Test
	void closedSubscriptionReceivesNoMore() {
		String topic = topic("closed");
		String group = group("leaving");
		runner().run((context) -> {
			Recording<Greeting> leaving = new Recording<>();
			Subscription subscription = subscriptions(context).subscribe(topic, group, Greeting.class, leaving);
			Recording<Greeting> staying = subscribe(context, topic, group("staying"));
			assertThat(subscription.topic()).isEqualTo(topic);
			assertThat(subscription.group()).isEqualTo(group);
			String first = publisher(context).publish(topic, new Greeting("first", 1));
			leaving.awaitOne(timeout());
			staying.awaitOne(timeout());
			subscription.close();
			String second = publisher(context).publish(topic, new Greeting("second", 2));
			staying.awaitCount(2, timeout());
			assertThat(staying.ids()).containsExactlyInAnyOrder(first, second);
			assertThat(leaving.ids()).containsExactly(first);
		});
	}

	private MessageBroker.ParkedMessage awaitParked(MessageBroker broker, String group, String id) {
		return await().atMost(timeout())
			.until(() -> broker.parked(1000)
				.stream()
				.filter((parked) -> parked.group().equals(group) && parked.id().equals(id))
				.findFirst()
				.orElse(null), (parked) -> parked != null);
	}

	private static double counter(AssertableApplicationContext context, String name, String topic) {
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		return registry.find(name).tag("topic", topic).counters().stream().mapToDouble((c) -> c.count()).sum();
	}

	private static List<String> publish(AssertableApplicationContext context, String topic, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(publisher(context).publish(topic, new Greeting("message " + i, i)));
		}
		return ids;
	}

	private static Recording<Greeting> subscribe(AssertableApplicationContext context, String topic, String group) {
		Recording<Greeting> recording = new Recording<>();
		subscriptions(context).subscribe(topic, group, Greeting.class, recording);
		return recording;
	}

	private static MessagePublisher publisher(AssertableApplicationContext context) {
		return context.getBean(MessagePublisher.class);
	}

	private static Subscriptions subscriptions(AssertableApplicationContext context) {
		return context.getBean(Subscriptions.class);
	}

	/**
	 * The payload of the tests' messages.
	 *
	 * @param text some text
	 * @param number a number
	 */
	public record Greeting(String text, int number) {

	}

	/**
	 * A handler that records what it receives.
	 *
	 * @param <T> the payload's type
	 */
	protected static final class Recording<T> implements MessageHandler<T> {

		private final List<ReceivedMessage<T>> messages = new CopyOnWriteArrayList<>();

		@Override
		public void handle(ReceivedMessage<T> message) {
			this.messages.add(message);
		}

		int size() {
			return this.messages.size();
		}

		List<String> ids() {
			return this.messages.stream().map(ReceivedMessage::id).toList();
		}

		void awaitCount(int count, Duration timeout) {
			await().atMost(timeout).until(() -> this.messages.size() >= count);
		}

		ReceivedMessage<T> awaitOne(Duration timeout) {
			awaitCount(1, timeout);
			assertThat(this.messages).hasSize(1);
			return this.messages.get(0);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeclaredSubscriber {

		final Recording<Greeting> payloads = new Recording<>();

		final List<Greeting> greetings = new CopyOnWriteArrayList<>();

		@Subscribe(topic = "${conformance.topic}", group = "${conformance.group}")
		void received(ReceivedMessage<Greeting> message) {
			this.payloads.handle(message);
		}

		@Subscribe(topic = "${conformance.topic}", group = "${conformance.group}-payload")
		void greeting(Greeting greeting) {
			this.greetings.add(greeting);
		}

		@Bean
		String unrelatedBean() {
			return "unrelated";
		}

	}

}
