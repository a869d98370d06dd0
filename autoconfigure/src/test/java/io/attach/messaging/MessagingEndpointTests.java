package io.attach.messaging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MessagingEndpoint} and its web extension.
 *
 * @author attach
 */
class MessagingEndpointTests {

	@TempDir
	Path spool;

	private ApplicationContextRunner runner() {
		return MessagingTestRunners.withoutDatabase(this.spool)
			.withPropertyValues("MESSAGING_BACKEND=in-process", "management.endpoints.web.exposure.include=messaging");
	}

	@Test
	void endpointIsThereWhenExposed() {
		runner().run((context) -> assertThat(context).hasSingleBean(MessagingEndpoint.class)
			.hasSingleBean(MessagingEndpointWebExtension.class));
	}

	@Test
	void endpointIsNotThereWhenDisabled() {
		runner().withPropertyValues("management.endpoint.messaging.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MessagingEndpoint.class));
	}

	@Test
	@SuppressWarnings("unchecked")
	void readShowsSubscriptionsParkedMessagesAndTheOutbox() {
		runner().run((context) -> {
			context.getBean(Subscriptions.class).subscribe("orders", "billing", String.class, (message) -> {
				throw new ParkMessageException("no customer");
			});
			String id = context.getBean(MessagePublisher.class).publish("orders", "order-1");
			MessagingEndpoint endpoint = context.getBean(MessagingEndpoint.class);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !((List<?>) endpoint.messaging().get("parked")).isEmpty());
			Map<String, Object> read = endpoint.messaging();
			assertThat((List<Map<String, Object>>) read.get("subscriptions")).containsExactly(
					Map.of("topic", "orders", "group", "billing", "type", "java.lang.String", "consuming", true));
			assertThat((List<Map<String, Object>>) read.get("parked")).containsExactly(Map.of("group", "billing",
					"topic", "orders", "id", id, "attempts", 1, "reason", "no customer"));
			assertThat(read).containsKey("outbox");
			assertThat((Map<String, Object>) read.get("failedPublishes")).containsEntry("list",
					"GET /actuator/outbox/messaging");
		});
	}

	@Test
	void parkedMessageIsRequeuedThenNotFound() {
		runner().run((context) -> {
			List<Integer> attempts = new CopyOnWriteArrayList<>();
			context.getBean(Subscriptions.class).subscribe("orders", "billing", String.class, (message) -> {
				attempts.add(message.attempt());
				if (attempts.size() == 1) {
					throw new ParkMessageException("no customer yet");
				}
			});
			String id = context.getBean(MessagePublisher.class).publish("orders", "order-1");
			MessageBroker broker = context.getBean(MessageBroker.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.parked(10).isEmpty());
			MessagingEndpointWebExtension web = context.getBean(MessagingEndpointWebExtension.class);
			WebEndpointResponse<Map<String, Object>> requeued = web.parked("billing", id, "requeue", null);
			assertThat(requeued.getStatus()).isEqualTo(200);
			assertThat(requeued.getBody()).containsEntry("action", "requeue").containsEntry("id", id);
			await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 2);
			assertThat(attempts).containsExactly(1, 1);
			assertThat(web.parked("billing", id, "requeue", null).getStatus()).isEqualTo(404);
			assertThat(web.parked("billing", id, "discard", null).getStatus()).isEqualTo(404);
		});
	}

	@Test
	void parkedMessageIsDiscarded() {
		runner().run((context) -> {
			context.getBean(Subscriptions.class).subscribe("orders", "billing", String.class, (message) -> {
				throw new ParkMessageException("never");
			});
			String id = context.getBean(MessagePublisher.class).publish("orders", "order-1");
			MessageBroker broker = context.getBean(MessageBroker.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> !broker.parked(10).isEmpty());
			MessagingEndpoint endpoint = context.getBean(MessagingEndpoint.class);
			assertThat(endpoint.parked("billing", id, "discard", "invoices")).as("another topic's").isNull();
			assertThat(endpoint.parked("billing", id, "discard", "orders")).containsEntry("action", "discard");
			assertThat(broker.parked(10)).isEmpty();
			assertThat(endpoint.parked("billing", id, "discard", null)).isNull();
		});
	}

	@Test
	void everyParkedMessageOfAGroupIsRequeued() {
		runner().run((context) -> {
			List<String> handled = new CopyOnWriteArrayList<>();
			AtomicBoolean failing = new AtomicBoolean(true);
			context.getBean(Subscriptions.class).subscribe("orders", "billing", String.class, (message) -> {
				if (failing.get()) {
					throw new ParkMessageException("no customer yet");
				}
				handled.add(message.id());
			});
			MessagePublisher publisher = context.getBean(MessagePublisher.class);
			List<String> ids = List.of(publisher.publish("orders", "order-1"), publisher.publish("orders", "order-2"));
			MessageBroker broker = context.getBean(MessageBroker.class);
			await().atMost(Duration.ofSeconds(10)).until(() -> broker.parked(10).size() == 2);
			failing.set(false);
			MessagingEndpoint endpoint = context.getBean(MessagingEndpoint.class);
			assertThat(endpoint.requeueAll("billing", "requeue-all")).isEqualTo(
					Map.of("group", "billing", "action", "requeue-all", "requeued", 2));
			await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
			assertThat(handled).containsExactlyInAnyOrderElementsOf(ids);
			assertThat(broker.parked(10)).isEmpty();
			assertThat(endpoint.requeueAll("billing", "requeue-all")).containsEntry("requeued", 0);
			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint.requeueAll("billing", "discard-all"))
				.withMessageContaining("Unknown action 'discard-all'");
		});
	}

	@Test
	void unknownActionIsABadRequest() {
		runner().run((context) -> assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> context.getBean(MessagingEndpoint.class).parked("billing", "1", "delete", null))
			.withMessageContaining("Unknown action 'delete'"));
	}

}
