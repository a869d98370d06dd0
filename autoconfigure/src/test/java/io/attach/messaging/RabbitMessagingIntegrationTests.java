package io.attach.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attach.outbox.OutboxDelivery;
import io.attach.outbox.OutboxItem;
import io.attach.outbox.OutboxMessage;
import io.attach.outbox.RejectedItemException;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Messaging's RabbitMQ backend against the real broker, through its SPI: what counts as sent, retries through the
 * delay queue, parking and requeueing, and the topology surviving a broker that lost it.
 *
 * @author attach
 */
class RabbitMessagingIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final String prefix = "attach-it-" + UUID.randomUUID().toString().substring(0, 8) + ".";

	private final List<RabbitMessageBroker> brokers = new ArrayList<>();

	private final List<FaultProxy> proxies = new ArrayList<>();

	private final List<AutoCloseable> consumers = new ArrayList<>();

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	private Connection admin;

	private RabbitMessagingProperties properties;

	@BeforeEach
	void connect() throws Exception {
		LocalServers.RABBITMQ.require();
		this.admin = client(LocalServers.RABBITMQ.port()).newConnection("attach-it-admin");
		this.properties = new RabbitMessagingProperties();
		this.properties.setExchange(this.prefix + "messages");
		this.properties.setQueuePrefix(this.prefix);
		this.properties.setConfirmTimeout(Duration.ofSeconds(3));
	}

	@AfterEach
	void cleanUp() throws Exception {
		for (AutoCloseable consumer : this.consumers) {
			consumer.close();
		}
		// Cut first: closing a connection in a black hole would wait for its close timeout.
		this.proxies.forEach(FaultProxy::close);
		List<RabbitGroupQueues> declared = new ArrayList<>();
		for (RabbitMessageBroker broker : this.brokers) {
			declared.addAll(broker.topology().subscriptions());
			broker.destroy();
		}
		try (Channel channel = this.admin.createChannel()) {
			for (RabbitGroupQueues queues : declared) {
				for (String queue : queues.all()) {
					channel.queueDelete(queue);
				}
			}
			channel.exchangeDelete(this.properties.getExchange());
		}
		this.admin.close();
	}

	@Test
	void whenConfirmedThenMessageArrivesWithItsIdKeyAndHeaders() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<InboundMessage> received = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", (message) -> {
			received.add(message);
			return new Outcome.Handled();
		});
		deliver(broker, item("m-1", "user.created", "k-7", Map.of("tenant", "acme")));
		await().atMost(WAIT).until(() -> received.size() == 1);
		InboundMessage message = received.get(0);
		assertThat(message.id()).isEqualTo("m-1");
		assertThat(message.topic()).isEqualTo("user.created");
		assertThat(message.key()).isEqualTo("k-7");
		assertThat(message.headers()).isEqualTo(Map.of("tenant", "acme"));
		assertThat(new String(message.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"m-1\"}");
		assertThat(message.attempt()).isEqualTo(1);
		assertThat(count("attach.messaging.confirmed", "user.created")).isOne();
	}

	@Test
	void whenEveryGroupIsSubscribedThenEachGetsEveryMessage() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<String> mailer = new CopyOnWriteArrayList<>();
		List<String> audit = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", handled(mailer));
		consume(broker, "user.created", "audit", handled(audit));
		deliver(broker, item("m-1", "user.created", null, Map.of()), item("m-2", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> mailer.size() == 2 && audit.size() == 2);
		assertThat(mailer).containsExactlyInAnyOrder("m-1", "m-2");
		assertThat(audit).containsExactlyInAnyOrder("m-1", "m-2");
	}

	@Test
	void whenNoQueueIsBoundThenTheReturnedMessageIsNotSent() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		try (OutboxDelivery.Connection connection = broker.delivery().connect()) {
			declareExchange();
			assertThatExceptionOfType(RejectedItemException.class)
				.isThrownBy(() -> connection.deliver(item("m-1", "nobody.listens", null, Map.of())))
				.satisfies((ex) -> assertThat(ex.isPermanent()).isFalse())
				.withMessageContaining("returned message m-1");
		}
		assertThat(count("attach.messaging.returned", "nobody.listens")).isOne();
		assertThat(count("attach.messaging.confirmed", "nobody.listens")).isZero();
	}

	@Test
	void whenTheConfirmNeverComesThenDeliveryFailsWithinTheTimeout() throws Exception {
		FaultProxy proxy = proxy();
		RabbitMessageBroker broker = broker(proxy.getPort());
		consume(broker, "user.created", "mailer", handled(new CopyOnWriteArrayList<>()));
		try (OutboxDelivery.Connection connection = broker.delivery().connect()) {
			// Sent once, so that the channel is open and the next publish only waits for its confirm.
			connection.deliver(item("m-0", "user.created", null, Map.of()));
			proxy.blackhole();
			assertTimeoutPreemptively(Duration.ofSeconds(15),
					() -> assertThatExceptionOfType(IOException.class)
						.isThrownBy(() -> connection.deliver(item("m-1", "user.created", null, Map.of())))
						.withMessageContaining("did not confirm message m-1 within 3000 ms"));
		}
		assertThat(count("attach.messaging.nacked", "user.created")).isOne();
	}

	@Test
	void whenTheConnectionIsCutBeforeTheConfirmThenDeliveryFails() throws Exception {
		this.properties.setConfirmTimeout(Duration.ofMinutes(1));
		FaultProxy proxy = proxy();
		RabbitMessageBroker broker = broker(proxy.getPort());
		consume(broker, "user.created", "mailer", handled(new CopyOnWriteArrayList<>()));
		try (OutboxDelivery.Connection connection = broker.delivery().connect()) {
			connection.deliver(item("m-0", "user.created", null, Map.of()));
			proxy.blackhole();
			long before = proxy.getBytesFromClients();
			CompletableFuture<Void> delivery = CompletableFuture.runAsync(() -> {
				try {
					connection.deliver(item("m-1", "user.created", null, Map.of()));
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			// The publish is in the black hole: sent, never to be confirmed.
			await().atMost(WAIT).until(() -> proxy.getBytesFromClients() > before);
			assertThat(delivery).isNotDone();
			proxy.reset();
			// Far sooner than the minute of the confirm timeout: the lost connection fails it.
			assertTimeoutPreemptively(Duration.ofSeconds(15),
					() -> assertThatExceptionOfType(Exception.class).isThrownBy(delivery::join));
		}
	}

	@Test
	void whenRetriedLaterThenTheMessageComesBackAfterTheDelayAsTheNextAttempt() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<InboundMessage> received = new CopyOnWriteArrayList<>();
		List<Instant> times = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", (message) -> {
			received.add(message);
			times.add(Instant.now());
			return (message.attempt() == 1) ? new Outcome.Retry(Duration.ofMillis(800), "not yet")
					: new Outcome.Handled();
		});
		deliver(broker, item("m-1", "user.created", null, Map.of("tenant", "acme")));
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).extracting(InboundMessage::id).containsExactly("m-1", "m-1");
		assertThat(received).extracting(InboundMessage::attempt).containsExactly(1, 2);
		assertThat(received.get(1).headers()).isEqualTo(Map.of("tenant", "acme"));
		assertThat(Duration.between(times.get(0), times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(800));
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		await().atMost(WAIT)
			.until(() -> messageCount(queues.retry(Duration.ofMillis(800)).queue()) == 0
					&& messageCount(queues.queue()) == 0);
	}

	@Test
	void whenParkedThenItIsListedAndARequeueDeliversItOnce() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<InboundMessage> received = new CopyOnWriteArrayList<>();
		AtomicInteger parks = new AtomicInteger(1);
		consume(broker, "user.created", "mailer", (message) -> {
			received.add(message);
			return (parks.getAndDecrement() > 0) ? new Outcome.Park("bad address") : new Outcome.Handled();
		});
		deliver(broker, item("m-1", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> broker.parked(10).size() == 1);
		MessageBroker.ParkedMessage expected = new MessageBroker.ParkedMessage("mailer", "user.created", "m-1", 1,
				Optional.of("bad address"));
		assertThat(broker.parked(10)).containsExactly(expected);
		// Browsing gives the message back.
		assertThat(broker.parked(10)).containsExactly(expected);
		assertThat(broker.requeue("mailer", "unknown")).isFalse();
		assertThat(broker.requeue("mailer", "m-1")).isTrue();
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received.get(1).attempt()).isEqualTo(1);
		assertThat(broker.parked(10)).isEmpty();
		assertThat(broker.requeue("mailer", "m-1")).isFalse();
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		await().atMost(WAIT).until(() -> messageCount(queues.queue()) == 0);
		assertThat(received).hasSize(2);
	}

	@Test
	void whenMessagesArriveTogetherThenTheyAreDispatchedTogetherAndEachIsSettledByItsOwnOutcome() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		CountDownLatch queued = new CountDownLatch(1);
		List<Integer> batches = new CopyOnWriteArrayList<>();
		List<String> received = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", new Dispatch() {

			@Override
			public Outcome dispatch(InboundMessage message) {
				received.add(message.id() + "#" + message.attempt());
				if (message.id().equals("m-3")) {
					return new Outcome.Park("bad address");
				}
				return (message.id().equals("m-5") && message.attempt() == 1)
						? new Outcome.Retry(Duration.ofMillis(100), "not yet") : new Outcome.Handled();
			}

			@Override
			public boolean batches() {
				return true;
			}

			@Override
			public List<Outcome> dispatchAll(List<InboundMessage> messages) {
				try {
					// Holds the consumer until everything is queued, so that the rest arrive together.
					queued.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				batches.add(messages.size());
				return Dispatch.super.dispatchAll(messages);
			}

		});
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		await().atMost(WAIT).until(() -> consumerCount(queues.queue()) == 1);
		List<OutboxItem> items = new ArrayList<>();
		for (int i = 1; i <= 12; i++) {
			items.add(item("m-" + i, "user.created", null, Map.of()));
		}
		deliver(broker, items.subList(0, 6).toArray(OutboxItem[]::new));
		try (Channel channel = this.admin.createChannel()) {
			// Not attach's: no message_id; among the others, so that the batch is settled around it.
			channel.confirmSelect();
			channel.basicPublish(this.properties.getExchange(), "user.created", null, "{}".getBytes());
			channel.waitForConfirmsOrDie(10_000);
		}
		deliver(broker, items.subList(6, 12).toArray(OutboxItem[]::new));
		queued.countDown();
		await().atMost(WAIT).until(() -> received.contains("m-5#2") && broker.parked(20).size() == 2);
		assertThat(batches).anySatisfy((size) -> assertThat(size).isGreaterThan(1));
		assertThat(received).filteredOn((id) -> id.endsWith("#1")).hasSize(12);
		assertThat(broker.parked(20)).extracting(MessageBroker.ParkedMessage::reason)
			.containsExactlyInAnyOrder(Optional.of("bad address"),
					Optional.of("The message has no message_id: it was not published by attach"));
		await().atMost(WAIT).until(() -> messageCount(queues.queue()) == 0
				&& messageCount(queues.retry(Duration.ofMillis(100)).queue()) == 0);
		// Every message was acknowledged: nothing comes back.
		Thread.sleep(300);
		assertThat(received).hasSize(13);
		assertThat(count("redelivered", "user.created mailer")).isZero();
	}

	@Test
	void whenABatchCannotBeDispatchedThenItsMessagesGoBackToTheQueueAndAreHandledLater() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		AtomicInteger failures = new AtomicInteger(1);
		List<String> received = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", new Dispatch() {

			@Override
			public Outcome dispatch(InboundMessage message) {
				received.add(message.id());
				return new Outcome.Handled();
			}

			@Override
			public boolean batches() {
				return true;
			}

			@Override
			public List<Outcome> dispatchAll(List<InboundMessage> messages) {
				if (failures.getAndDecrement() > 0) {
					throw new IllegalStateException("dispatch broke");
				}
				return Dispatch.super.dispatchAll(messages);
			}

		});
		deliver(broker, item("m-1", "user.created", null, Map.of()), item("m-2", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).containsExactlyInAnyOrder("m-1", "m-2");
		assertThat(count("redelivered", "user.created mailer")).isPositive();
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		await().atMost(WAIT).until(() -> messageCount(queues.queue()) == 0);
	}

	@Test
	void whenDiscardedThenTheParkedMessageIsGone() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		consume(broker, "user.created", "mailer", (message) -> new Outcome.Park("never"));
		deliver(broker, item("m-1", "user.created", null, Map.of()), item("m-2", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> broker.parked(10).size() == 2);
		assertThat(broker.discard("mailer", "m-1")).isTrue();
		assertThat(broker.parked(10)).extracting(MessageBroker.ParkedMessage::id).containsExactly("m-2");
		assertThat(broker.discard("mailer", "m-1")).isFalse();
	}

	@Test
	void whenHandlingKeepsFailingThenTheDeliveryLimitParksTheMessage() throws Exception {
		this.properties.setDeliveryLimit(2);
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		AtomicInteger calls = new AtomicInteger();
		consume(broker, "user.created", "mailer", (message) -> {
			calls.incrementAndGet();
			throw new IllegalStateException("Dispatch broke its promise");
		});
		deliver(broker, item("m-1", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> broker.parked(10).size() == 1);
		MessageBroker.ParkedMessage parked = broker.parked(10).get(0);
		assertThat(parked.id()).isEqualTo("m-1");
		assertThat(parked.reason()).hasValueSatisfying((reason) -> assertThat(reason).contains("delivery_limit"));
		assertThat(calls.get()).isEqualTo(3);
		// The broker's redeliveries and its park, not attach's retries.
		assertThat(count("redelivered", "user.created mailer")).isEqualTo(2);
		assertThat(count("parked", "user.created mailer")).isOne();
	}

	@Test
	void whenAShortRetryFollowsALongOneThenItIsNotHeldBehindIt() throws Exception {
		this.properties.setRetryTiers(List.of(Duration.ofSeconds(1), Duration.ofMinutes(1)));
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<String> retried = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", (message) -> {
			if (message.attempt() > 1) {
				retried.add(message.id());
				return new Outcome.Handled();
			}
			// Asked for more than the longest tier: it waits the longest, a minute.
			return new Outcome.Retry(message.id().equals("long") ? Duration.ofHours(1) : Duration.ofMillis(200),
					"not yet");
		});
		deliver(broker, item("long", "user.created", null, Map.of()));
		RabbitGroupQueues queues = broker.topology().subscriptions().iterator().next();
		await().atMost(WAIT).until(() -> messageCount(queues.retries().get(1).queue()) == 1);
		deliver(broker, item("short", "user.created", null, Map.of()));
		// With one queue and per-message TTLs, it would wait behind "long" for a minute.
		await().atMost(WAIT).until(() -> retried.contains("short"));
		assertThat(retried).containsExactly("short");
		assertThat(messageCount(queues.retries().get(1).queue())).isOne();
	}

	@Test
	void whenTheBrokerDoesNotTakeTheRetryCopyThenTheMessageWaitsUnacknowledgedInsteadOfComingBack()
			throws Exception {
		this.properties.setRetryTiers(List.of(Duration.ofSeconds(1)));
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", (message) -> {
			attempts.add(message.attempt());
			return (message.attempt() == 1) ? new Outcome.Retry(Duration.ofMillis(100), "not yet")
					: new Outcome.Handled();
		});
		RabbitGroupQueues queues = broker.topology().subscriptions().iterator().next();
		await().atMost(WAIT).until(() -> consumerCount(queues.queue()) == 1);
		// Both connections are open: no new one declares the queue again before the copy is returned.
		broker.delivery().connect().close();
		try (Channel channel = this.admin.createChannel()) {
			channel.queueDelete(queues.retries().get(0).queue());
		}
		deliver(broker, item("m-1", "user.created", null, Map.of()));
		// The copy is returned, the queue declared again, the copy published again: the original never came back.
		await().atMost(WAIT).until(() -> attempts.size() == 2);
		assertThat(attempts).containsExactly(1, 2);
		assertThat(count("redelivered", "user.created mailer")).isZero();
		await().atMost(WAIT).until(() -> messageCount(queues.queue()) == 0);
		assertThat(attempts).containsExactly(1, 2);
	}

	@Test
	void whenTheConnectionIsCutDuringTheHandshakeThenTheConsumerKeepsTrying() throws Exception {
		FaultProxy proxy = proxy();
		// The protocol header goes through; the login (start-ok) does not, which the client reads as refused
		// credentials (PossibleAuthenticationFailureException).
		proxy.cutAfter(8);
		RabbitMessageBroker broker = broker(proxy.getPort());
		List<String> received = new CopyOnWriteArrayList<>();
		AutoCloseable consumer = broker.consume("user.created", "mailer", handled(received));
		this.consumers.add(consumer);
		await().atMost(WAIT).until(() -> proxy.getConnectionCount() >= 2);
		assertThat(((Consumer) consumer).isConsuming()).isTrue();
		proxy.pass();
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		await().atMost(WAIT).until(() -> consumerCount(queues.queue()) == 1);
		deliver(broker, item("m-1", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> received.contains("m-1"));
	}

	@Test
	void requeueAllDeliversEveryParkedMessageOfTheGroupAgain() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<String> handled = new CopyOnWriteArrayList<>();
		AtomicInteger parks = new AtomicInteger(3);
		consume(broker, "user.created", "mailer", (message) -> {
			if (parks.getAndDecrement() > 0) {
				return new Outcome.Park("not yet");
			}
			handled.add(message.id());
			return new Outcome.Handled();
		});
		deliver(broker, item("m-1", "user.created", null, Map.of()), item("m-2", "user.created", null, Map.of()),
				item("m-3", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> broker.parked(10).size() == 3);
		assertThat(broker.requeueAll("audit")).isZero();
		assertThat(broker.requeueAll("mailer")).isEqualTo(3);
		await().atMost(WAIT).until(() -> handled.size() == 3);
		assertThat(handled).containsExactlyInAnyOrder("m-1", "m-2", "m-3");
		assertThat(broker.parked(10)).isEmpty();
	}

	@Test
	void whenOneIdIsParkedForTwoTopicsThenTheTopicChoosesWhichIsRequeued() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		List<String> handled = new CopyOnWriteArrayList<>();
		AtomicBoolean parking = new AtomicBoolean(true);
		Dispatch dispatch = (message) -> {
			if (parking.get()) {
				return new Outcome.Park("not yet");
			}
			handled.add(message.topic() + " " + message.id());
			return new Outcome.Handled();
		};
		consume(broker, "order.created", "billing", dispatch);
		consume(broker, "order.paid", "billing", dispatch);
		deliver(broker, item("o-1", "order.created", null, Map.of()), item("o-1", "order.paid", null, Map.of()));
		await().atMost(WAIT).until(() -> broker.parked(10).size() == 2);
		parking.set(false);
		assertThat(broker.requeue("billing", "order.paid", "o-1")).isTrue();
		await().atMost(WAIT).until(() -> handled.size() == 1);
		assertThat(handled).containsExactly("order.paid o-1");
		assertThat(broker.parked(10)).extracting(MessageBroker.ParkedMessage::topic).containsExactly("order.created");
		assertThat(broker.discard("billing", "order.paid", "o-1")).isFalse();
		assertThat(broker.discard("billing", "order.created", "o-1")).isTrue();
	}

	@Test
	void whenTheBrokerLostAQueueThenTheNextConnectionDeclaresItAgain() throws Exception {
		FaultProxy proxy = proxy();
		RabbitMessageBroker broker = broker(proxy.getPort());
		List<String> received = new CopyOnWriteArrayList<>();
		consume(broker, "user.created", "mailer", handled(received));
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		try (Channel channel = this.admin.createChannel()) {
			channel.queueDelete(queues.queue());
		}
		assertThat(exists(queues.queue())).isFalse();
		proxy.reset();
		proxy.pass();
		await().atMost(WAIT).until(() -> exists(queues.queue()));
		deliver(broker, item("m-1", "user.created", null, Map.of()));
		await().atMost(WAIT).until(() -> received.contains("m-1"));
	}

	@Test
	void whenAQueueIsMissingThenVerifyFailsNamingIt() throws Exception {
		RabbitMessageBroker broker = broker(LocalServers.RABBITMQ.port());
		consume(broker, "user.created", "mailer", handled(new CopyOnWriteArrayList<>()));
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		// Declared by the consumer's connection, which starts without holding up the caller.
		await().atMost(WAIT).until(() -> consumerCount(queues.queue()) == 1);
		try (Channel channel = this.admin.createChannel()) {
			assertThatNoException().isThrownBy(() -> broker.topology().verify(channel));
		}
		String longest = queues.retries().get(queues.retries().size() - 1).queue();
		try (Channel channel = this.admin.createChannel()) {
			channel.queueDelete(longest);
		}
		// Not closed: the failed passive declaration closed it.
		Channel channel = this.admin.createChannel();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> broker.topology().verify(channel))
			.withMessage("Messaging's queue '" + longest + "' is missing on the broker");
	}

	@Test
	void whenASubscriptionsFirstConnectionIsNotMadeYetThenVerifyDoesNotReportItsQueuesMissing() throws Exception {
		FaultProxy proxy = proxy();
		proxy.refuse();
		RabbitMessageBroker broker = broker(proxy.getPort());
		consume(broker, "user.created", "mailer", handled(new CopyOnWriteArrayList<>()));
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, "user.created", "mailer");
		// Nothing declared yet (the consumer's connection is refused): a check now must not call it missing, as the
		// one at startup did for the second before the first connection declared it.
		assertThat(exists(queues.queue())).isFalse();
		try (Channel channel = this.admin.createChannel()) {
			assertThatNoException().isThrownBy(() -> broker.topology().verify(channel));
		}
		proxy.pass();
		await().atMost(WAIT).until(() -> consumerCount(queues.queue()) == 1);
		// Declared now, so gone is missing.
		try (Channel channel = this.admin.createChannel()) {
			channel.queueDelete(queues.parked());
		}
		Channel channel = this.admin.createChannel();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> broker.topology().verify(channel))
			.withMessage("Messaging's queue '" + queues.parked() + "' is missing on the broker");
	}

	private RabbitMessageBroker broker(int port) {
		RabbitMessageBroker broker = new RabbitMessageBroker(
				RabbitMessagingConfiguration.connectionFactory(client(port), List.of()), this.properties,
				new RabbitTopology(this.properties.getExchange(), this.properties.getDeliveryLimit()),
				(name, topic) -> this.counts.computeIfAbsent(name + " " + topic, (key) -> new AtomicInteger())
					.incrementAndGet(),
				new MessagingListener() {

					@Override
					public void redelivered(String topic, String group) {
						count("redelivered", topic + " " + group);
					}

					@Override
					public void parked(String topic, String group) {
						count("parked", topic + " " + group);
					}

					private void count(String name, String key) {
						RabbitMessagingIntegrationTests.this.counts
							.computeIfAbsent(name + " " + key, (ignored) -> new AtomicInteger())
							.incrementAndGet();
					}

				}, Duration.ofSeconds(5));
		this.brokers.add(broker);
		return broker;
	}

	private FaultProxy proxy() {
		FaultProxy proxy = LocalServers.RABBITMQ.proxy();
		this.proxies.add(proxy);
		return proxy;
	}

	private void consume(RabbitMessageBroker broker, String topic, String group, Dispatch dispatch) {
		this.consumers.add(broker.consume(topic, group, dispatch));
	}

	private static Dispatch handled(List<String> ids) {
		return (message) -> {
			ids.add(message.id());
			return new Outcome.Handled();
		};
	}

	private static void deliver(RabbitMessageBroker broker, OutboxItem... items) throws Exception {
		try (OutboxDelivery.Connection connection = broker.delivery().connect()) {
			for (OutboxItem item : items) {
				connection.deliver(item);
			}
		}
	}

	private static OutboxItem item(String id, String topic, String key, Map<String, String> headers) {
		OutboxMessage message = new OutboxMessage(id, ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
				"application/json", key, headers)
			.withHeader(MessageBroker.TOPIC_HEADER, topic);
		return new OutboxItem(1, message, Instant.now(), 0);
	}

	private int count(String name, String topic) {
		AtomicInteger count = this.counts.get(name + " " + topic);
		return (count != null) ? count.get() : 0;
	}

	private void declareExchange() throws IOException, java.util.concurrent.TimeoutException {
		try (Channel channel = this.admin.createChannel()) {
			channel.exchangeDeclare(this.properties.getExchange(), "topic", true);
		}
	}

	private boolean exists(String queue) throws Exception {
		return messageCount(queue) >= 0;
	}

	private long consumerCount(String queue) throws Exception {
		Channel channel = this.admin.createChannel();
		try {
			long count = channel.queueDeclarePassive(queue).getConsumerCount();
			channel.close();
			return count;
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private long messageCount(String queue) throws Exception {
		Channel channel = this.admin.createChannel();
		try {
			long count = channel.queueDeclarePassive(queue).getMessageCount();
			channel.close();
			return count;
		}
		catch (IOException ex) {
			// The failed passive declaration closed the channel.
			return -1;
		}
	}

	private static ConnectionFactory client(int port) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServers.RABBITMQ.host());
		factory.setPort(port);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setAutomaticRecoveryEnabled(false);
		factory.setConnectionTimeout(3000);
		factory.setHandshakeTimeout(3000);
		factory.setChannelRpcTimeout(5000);
		return factory;
	}

}
