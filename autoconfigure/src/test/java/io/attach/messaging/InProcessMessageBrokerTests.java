package io.attach.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.attach.outbox.OutboxDelivery;
import io.attach.outbox.OutboxItem;
import io.attach.outbox.OutboxMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link InProcessMessageBroker} beyond the conformance suite.
 *
 * @author attach
 */
class InProcessMessageBrokerTests {

	private final InProcessMessageBroker broker = new InProcessMessageBroker(() -> {
	});

	@AfterEach
	void close() {
		this.broker.close();
	}

	@Test
	void idReusedOnAnotherTopicIsParkedBesideTheFirstAndRequeuedByTopic() throws Exception {
		List<String> handled = new CopyOnWriteArrayList<>();
		List<Boolean> refuse = new CopyOnWriteArrayList<>(List.of(true));
		Dispatch dispatch = (message) -> {
			if (refuse.get(0)) {
				return new Outcome.Park("not today");
			}
			handled.add(message.topic() + " " + message.id());
			return new Outcome.Handled();
		};
		this.broker.consume("order.created", "billing", dispatch);
		this.broker.consume("order.paid", "billing", dispatch);
		deliver("order.created", "42");
		deliver("order.paid", "42");
		assertThat(this.broker.parked(10)).extracting(MessageBroker.ParkedMessage::topic)
			.containsExactly("order.created", "order.paid");
		refuse.set(0, false);
		assertThat(this.broker.requeue("billing", "order.paid", "42")).isTrue();
		await().until(() -> handled.size() == 1);
		assertThat(handled).containsExactly("order.paid 42");
		assertThat(this.broker.parked(10)).extracting(MessageBroker.ParkedMessage::topic)
			.containsExactly("order.created");
		assertThat(this.broker.discard("billing", "order.paid", "42")).isFalse();
		assertThat(this.broker.discard("billing", "42")).isTrue();
		assertThat(this.broker.parked(10)).isEmpty();
	}

	@Test
	void retryThatDoesNotCountIsDeliveredAsTheSameAttempt() throws Exception {
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		this.broker.consume("t", "g", (message) -> {
			attempts.add(message.attempt());
			return (attempts.size() == 1) ? new Outcome.Retry(java.time.Duration.ofMillis(10), "database down", false)
					: (attempts.size() == 2) ? new Outcome.Retry(java.time.Duration.ofMillis(10), "handler failed")
							: new Outcome.Handled();
		});
		deliver("t", "m-1");
		await().until(() -> attempts.size() == 3);
		assertThat(attempts).containsExactly(1, 1, 2);
	}

	private void deliver(String topic, String id) throws Exception {
		OutboxMessage message = OutboxMessage.of(id, "{}".getBytes(StandardCharsets.UTF_8))
			.withHeader(MessageBroker.TOPIC_HEADER, topic);
		OutboxDelivery.Connection connection = this.broker.delivery().connect();
		connection.deliver(new OutboxItem(1, message, Instant.now(), 0));
		connection.close();
	}

}
