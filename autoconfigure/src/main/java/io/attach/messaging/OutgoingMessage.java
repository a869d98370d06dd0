package io.attach.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message to {@link MessagePublisher#publish(OutgoingMessage) publish}: a topic and a payload, and optionally a key
 * (for ordering or partitioning), headers and an id of the caller's.
 *
 * @param topic the topic
 * @param payload the payload, written as JSON
 * @param key the key, or {@code null}
 * @param headers the headers, names to values
 * @param id the caller's id, or {@code null} for a new one
 * @author attach
 */
public record OutgoingMessage(String topic, Object payload, @Nullable String key, Map<String, String> headers,
		@Nullable String id) {

	/**
	 * Creates a message, checking its fields.
	 * @param topic the topic
	 * @param payload the payload
	 * @param key the key, or {@code null}
	 * @param headers the headers
	 * @param id the caller's id, or {@code null}
	 */
	public OutgoingMessage {
		Topics.check(topic);
		headers = Map.copyOf(headers);
	}

	/**
	 * Creates a message with no key, headers or id.
	 * @param topic the topic
	 * @param payload the payload
	 * @return the message
	 */
	public static OutgoingMessage of(String topic, Object payload) {
		return new OutgoingMessage(topic, payload, null, Map.of(), null);
	}

	/**
	 * Returns this message with a key.
	 * @param key the key
	 * @return a copy with the key
	 */
	public OutgoingMessage withKey(String key) {
		return new OutgoingMessage(this.topic, this.payload, key, this.headers, this.id);
	}

	/**
	 * Returns this message with one more header.
	 * @param name the header's name
	 * @param value its value
	 * @return a copy with the header
	 */
	public OutgoingMessage withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new OutgoingMessage(this.topic, this.payload, this.key, headers, this.id);
	}

	/**
	 * Returns this message with the caller's id, which a consumer sees on every delivery.
	 * @param id the id
	 * @return a copy with the id
	 */
	public OutgoingMessage withId(String id) {
		return new OutgoingMessage(this.topic, this.payload, this.key, this.headers, id);
	}

}
