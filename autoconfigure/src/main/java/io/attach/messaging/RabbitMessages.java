package io.attach.messaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.LongString;
import io.attach.outbox.OutboxMessage;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.PublisherCallbackChannel;

/**
 * Maps messaging's messages to AMQP messages and back: the id is the {@code message_id}, the key and attach's
 * attempt count travel as headers of attach's own, next to the application's.
 *
 * @author attach
 */
final class RabbitMessages {

	/**
	 * Header holding the application's key of a message.
	 */
	static final String KEY_HEADER = "attach-key";

	/**
	 * Header holding why a message was parked.
	 */
	static final String REASON_HEADER = "attach-park-reason";

	private static final Set<String> OWN_HEADERS = Set.of(MessageBroker.TOPIC_HEADER, MessageBroker.ATTEMPT_HEADER,
			KEY_HEADER, REASON_HEADER);

	// Added by the broker on dead-lettering, by Spring AMQP to correlate returns: never the application's.
	private static final Set<String> TRANSPORT_HEADERS = Set.of("x-death", "x-first-death-exchange",
			"x-first-death-queue", "x-first-death-reason", "x-last-death-exchange", "x-last-death-queue",
			"x-last-death-reason", "x-delivery-count", PublisherCallbackChannel.RETURN_LISTENER_CORRELATION_KEY,
			PublisherCallbackChannel.RETURNED_MESSAGE_CORRELATION_KEY);

	private static final String JSON = "application/json";

	private static final int MAX_REASON = 1000;

	private RabbitMessages() {
	}

	/**
	 * Makes the AMQP message of an outbox item, as its first attempt.
	 * @param message the outbox item's message
	 * @return the AMQP message, persistent
	 */
	static Message outgoing(OutboxMessage message) {
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setMessageId(message.id());
		properties.setContentType((message.contentType() != null) ? message.contentType() : JSON);
		message.headers().forEach(properties::setHeader);
		if (message.key() != null) {
			properties.setHeader(KEY_HEADER, message.key());
		}
		properties.setHeader(MessageBroker.ATTEMPT_HEADER, 1);
		return new Message(message.payload(), properties);
	}

	/**
	 * Reads a delivered message for {@link Dispatch}.
	 * @param message the AMQP message
	 * @param topic the topic of the subscription that received it
	 * @return the message
	 * @throws IllegalArgumentException if it has no {@code message_id}
	 */
	static InboundMessage inbound(Message message, String topic) {
		MessageProperties properties = message.getMessageProperties();
		String id = properties.getMessageId();
		if (id == null || id.isEmpty()) {
			throw new IllegalArgumentException("The message has no message_id: it was not published by attach");
		}
		Map<String, String> headers = new LinkedHashMap<>();
		properties.getHeaders().forEach((name, value) -> {
			if (!OWN_HEADERS.contains(name) && !TRANSPORT_HEADERS.contains(name) && isText(value)) {
				headers.put(name, String.valueOf(value));
			}
		});
		return new InboundMessage(id, topic, text(properties.getHeader(KEY_HEADER)), headers, message.getBody(),
				attempt(message));
	}

	/**
	 * Returns attach's attempt count of a message.
	 * @param message the message
	 * @return the attempt, from 1
	 */
	static int attempt(Message message) {
		Object value = message.getMessageProperties().getHeader(MessageBroker.ATTEMPT_HEADER);
		try {
			int attempt = (value instanceof Number number) ? number.intValue()
					: (value != null) ? Integer.parseInt(value.toString()) : 1;
			return Math.max(attempt, 1);
		}
		catch (NumberFormatException ex) {
			return 1;
		}
	}

	/**
	 * Returns why a parked message was parked: attach's reason, else the broker's dead-lettering reason.
	 * @param message the parked message
	 * @return the reason, or {@code null}
	 */
	static @Nullable String reason(Message message) {
		String reason = text(message.getMessageProperties().getHeader(REASON_HEADER));
		if (reason != null) {
			return reason;
		}
		String deadLettered = text(message.getMessageProperties().getHeader("x-first-death-reason"));
		return (deadLettered != null) ? "dead-lettered by RabbitMQ (" + deadLettered + ")" : null;
	}

	/**
	 * Copies a delivered message to publish it again, persistent, without the broker's headers.
	 * @param message the message
	 * @param attempt the attempt it will be
	 * @param reason why it is parked, or {@code null} if it is not
	 * @return the copy
	 */
	static Message copy(Message message, int attempt, @Nullable String reason) {
		MessageProperties from = message.getMessageProperties();
		MessageProperties properties = new MessageProperties();
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		properties.setMessageId(from.getMessageId());
		properties.setContentType(from.getContentType());
		if (from.getContentEncoding() != null) {
			properties.setContentEncoding(from.getContentEncoding());
		}
		from.getHeaders().forEach((name, value) -> {
			if (!TRANSPORT_HEADERS.contains(name) && !REASON_HEADER.equals(name) && value != null) {
				properties.setHeader(name, value);
			}
		});
		properties.setHeader(MessageBroker.ATTEMPT_HEADER, attempt);
		if (reason != null) {
			// Bounded: the headers travel in one frame, and an exception's message can be long.
			properties.setHeader(REASON_HEADER, (reason.length() > MAX_REASON) ? reason.substring(0, MAX_REASON) : reason);
		}
		return new Message(message.getBody(), properties);
	}

	private static boolean isText(@Nullable Object value) {
		// Spring AMQP leaves a header value longer than 1024 bytes as the client's LongString: still text.
		return value instanceof CharSequence || value instanceof LongString || value instanceof Number
				|| value instanceof Boolean;
	}

	private static @Nullable String text(@Nullable Object value) {
		// A LongString's toString() decodes its bytes as UTF-8.
		return (value != null) ? value.toString() : null;
	}

}
