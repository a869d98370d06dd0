package io.attach.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.attach.outbox.Outbox;
import io.attach.outbox.OutboxMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.util.unit.DataSize;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Adapts the messaging {@link Outbox} to {@link MessagePublisher}: writes the payload as JSON with the application's
 * mapper and stores it, in the caller's transaction when the store can join it; it never touches the broker.
 *
 * @author attach
 */
final class OutboxMessagePublisher implements MessagePublisher {

	/**
	 * Prefix of the headers attach keeps for itself.
	 */
	static final String RESERVED_PREFIX = "attach-";

	static final String CONTENT_TYPE = "application/json";

	/**
	 * Longest header name, or key, in UTF-8 bytes: an AMQP short string.
	 */
	static final int MAX_SHORT_STRING = 255;

	private final Outbox outbox;

	private final JsonMapper mapper;

	private final MessagingListener listener;

	private final DataSize maxPayloadSize;

	OutboxMessagePublisher(Outbox outbox, JsonMapper mapper, MessagingListener listener, DataSize maxPayloadSize) {
		this.outbox = outbox;
		this.mapper = mapper;
		this.listener = listener;
		this.maxPayloadSize = maxPayloadSize;
	}

	@Override
	public String publish(String topic, Object payload) {
		return publish(OutgoingMessage.of(topic, payload));
	}

	@Override
	public String publish(OutgoingMessage message) {
		String id = (message.id() != null) ? checkId(message.id()) : UUID.randomUUID().toString();
		// Checked here, on the caller's thread: a broker closes the channel on a message it cannot take, and the relay
		// would count that as the broker failing and retry it forever.
		byte[] payload = checkSize(message, json(message));
		if (message.key() != null && utf8Length(message.key()) > MAX_SHORT_STRING) {
			throw new IllegalArgumentException("The key of a message to topic " + message.topic() + " has "
					+ utf8Length(message.key()) + " bytes in UTF-8; a key may have at most " + MAX_SHORT_STRING);
		}
		OutboxMessage item = OutboxMessage.of(id, payload).withContentType(CONTENT_TYPE).withKey(message.key());
		for (Map.Entry<String, String> header : message.headers().entrySet()) {
			if (header.getKey().toLowerCase(Locale.ROOT).startsWith(RESERVED_PREFIX)) {
				throw new IllegalArgumentException("Header '" + header.getKey() + "' of a message to topic "
						+ message.topic() + " starts with '" + RESERVED_PREFIX + "', which attach keeps for itself");
			}
			checkHeaderName(message, header.getKey());
			item = item.withHeader(header.getKey(), header.getValue());
		}
		item = item.withHeader(MessageBroker.TOPIC_HEADER, message.topic());
		try {
			this.outbox.enqueue(item);
		}
		catch (RuntimeException ex) {
			throw new MessagingException("Message " + id + " to topic " + message.topic()
					+ " could not be stored for delivery: " + ex.getMessage(), ex);
		}
		published(message.topic());
		return id;
	}

	private byte[] checkSize(OutgoingMessage message, byte[] payload) {
		if (payload.length > this.maxPayloadSize.toBytes()) {
			throw new IllegalArgumentException("The payload of a message to topic " + message.topic() + " ("
					+ message.payload().getClass().getName() + ") has " + payload.length + " bytes as JSON, more than"
					+ " attach.messaging.max-payload-size (" + this.maxPayloadSize.toBytes() + " bytes): send a"
					+ " reference to the data, such as a storage key, rather than the data");
		}
		return payload;
	}

	private static void checkHeaderName(OutgoingMessage message, String name) {
		int length = utf8Length(name);
		if (length == 0 || length > MAX_SHORT_STRING) {
			String shown = (name.length() > 40) ? name.substring(0, 40) + "..." : name;
			throw new IllegalArgumentException("Header '" + shown + "' of a message to topic " + message.topic()
					+ " has a name of " + length + " bytes in UTF-8; a header name needs 1 to " + MAX_SHORT_STRING);
		}
	}

	private static int utf8Length(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	private byte[] json(OutgoingMessage message) {
		try {
			return this.mapper.writeValueAsBytes(message.payload());
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("The payload of a message to topic " + message.topic() + " ("
					+ message.payload().getClass().getName() + ") cannot be written as JSON: " + ex.getOriginalMessage(),
					ex);
		}
	}

	private void published(String topic) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			// Counted once it is really published: a rollback means it never was.
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

				@Override
				public void afterCommit() {
					OutboxMessagePublisher.this.listener.published(topic);
				}

			});
		}
		else {
			this.listener.published(topic);
		}
	}

	/**
	 * Checks a caller's id: it must fit the inbox's key on every database and travel as an AMQP {@code message_id}.
	 * @param id the id
	 * @return the id
	 */
	static String checkId(String id) {
		boolean printable = id.chars().allMatch((c) -> c > 0x20 && c < 0x7f);
		if (id.isEmpty() || id.length() > InboxTable.MAX_ID || !printable) {
			throw new IllegalArgumentException("Invalid message id '" + printableOf(id) + "': use 1 to "
					+ InboxTable.MAX_ID + " printable ASCII characters without spaces, such as a UUID");
		}
		return id;
	}

	private static String printableOf(String id) {
		String shown = id.codePoints()
			.map((c) -> (c > 0x20 && c < 0x7f) ? c : '?')
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		return (shown.length() > 40) ? shown.substring(0, 40) + "..." : shown;
	}

}
