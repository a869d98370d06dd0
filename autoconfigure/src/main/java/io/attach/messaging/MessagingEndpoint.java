package io.attach.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.attach.outbox.Outbox;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@link Endpoint @Endpoint} that shows the subscriptions, the parked messages of failed consumptions and the messaging
 * outbox, and requeues or discards a parked message: {@code POST /actuator/messaging/{group}/{id}} with
 * {@code {"action": "requeue"}} or {@code {"action": "discard"}}, and {@code "topic"} when the id was used on several
 * topics, and requeues every parked message of a group: {@code POST /actuator/messaging/{group}} with
 * {@code {"action": "requeue-all"}}. Failed publishes are the outbox's parked items, listed by
 * {@code GET /actuator/outbox/messaging} and requeued or discarded through the {@code outbox} endpoint.
 *
 * @author attach
 */
@Endpoint(id = "messaging")
public class MessagingEndpoint {

	static final String REQUEUE = "requeue";

	static final String DISCARD = "discard";

	static final String REQUEUE_ALL = "requeue-all";

	// Enough for an operator to see what is wrong; the broker may hold many more, which requeue-all reaches.
	private static final int PARKED_LIMIT = 1000;

	private final MessagingSubscriptions subscriptions;

	private final MessageBroker broker;

	private final Outbox outbox;

	MessagingEndpoint(MessagingSubscriptions subscriptions, MessageBroker broker, Outbox outbox) {
		this.subscriptions = subscriptions;
		this.broker = broker;
		this.outbox = outbox;
	}

	@ReadOperation
	public Map<String, Object> messaging() {
		Map<String, Object> messaging = new LinkedHashMap<>();
		messaging.put("subscriptions", this.subscriptions.describe().stream().map(MessagingEndpoint::describe).toList());
		List<MessageBroker.ParkedMessage> parked = this.broker.parked(PARKED_LIMIT);
		messaging.put("parked", parked.stream().map(MessagingEndpoint::describe).toList());
		messaging.put("outbox", this.outbox.getStats());
		// Failed publishes are the outbox's: where an operator finds them.
		messaging.put("failedPublishes", Map.of("list", "GET /actuator/outbox/" + this.outbox.getChannel(), "requeue",
				"POST /actuator/outbox/" + this.outbox.getChannel() + " {\"requeue\": id} (or \"parked\" for all)",
				"discard", "POST /actuator/outbox/" + this.outbox.getChannel() + " {\"discard\": id}"));
		return messaging;
	}

	/**
	 * Requeues or discards a parked message, as a write operation: the body it requires makes the web endpoint accept
	 * only JSON, which a cross-site form cannot send without the browser asking first.
	 * @param group the group that failed to handle it
	 * @param id the message's id
	 * @param action {@code requeue} or {@code discard}
	 * @param topic the message's topic, or {@code null} for the first of the group's parked messages with that id
	 * @return what was done, or {@code null} when the group has no such parked message
	 */
	@WriteOperation
	public @Nullable Map<String, Object> parked(@Selector String group, @Selector String id, String action,
			@Nullable String topic) {
		boolean done;
		if (REQUEUE.equals(action)) {
			done = this.broker.requeue(group, topic, id);
		}
		else if (DISCARD.equals(action)) {
			done = this.broker.discard(group, topic, id);
		}
		else {
			throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"'action' must be 'requeue' or 'discard'");
		}
		return done ? Map.of("group", group, "id", id, "action", action) : null;
	}

	/**
	 * Requeues every message a group has parked, as a write operation for the same reason as {@link #parked}.
	 * @param group the group
	 * @param action {@code requeue-all}
	 * @return the group, the action and how many messages were requeued
	 */
	@WriteOperation
	public Map<String, Object> requeueAll(@Selector String group, String action) {
		if (!REQUEUE_ALL.equals(action)) {
			throw new InvalidEndpointRequestException("Unknown action '" + action + "'",
					"'action' must be 'requeue-all'");
		}
		return Map.of("group", group, "action", action, "requeued", this.broker.requeueAll(group));
	}

	private static Map<String, Object> describe(MessagingSubscriptions.Description subscription) {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("topic", subscription.topic());
		described.put("group", subscription.group());
		described.put("type", subscription.type());
		described.put("consuming", subscription.consuming());
		return described;
	}

	private static Map<String, Object> describe(MessageBroker.ParkedMessage message) {
		Map<String, Object> described = new LinkedHashMap<>();
		described.put("group", message.group());
		described.put("topic", message.topic());
		described.put("id", message.id());
		described.put("attempts", message.attempts());
		message.reason().ifPresent((reason) -> described.put("reason", reason));
		return described;
	}

}
