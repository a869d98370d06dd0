package io.attach.outbox;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What a channel's delivery needs of one piece of work: its stable id, its bytes, and the envelope a message broker
 * routes and labels it by (content type, routing key or topic, headers). Mail needs only the id and the bytes: a
 * MIME message carries its own headers.
 *
 * @param id the stable id receivers drop duplicates by, such as a mail's {@code Message-ID}
 * @param payload the bytes to deliver
 * @param contentType the payload's media type, such as {@code application/json}, or {@code null}
 * @param key where the service routes it, such as an AMQP routing key or a topic, or {@code null}
 * @param headers headers delivered with it, in their order, never {@code null}
 * @author attach
 */
public record OutboxMessage(String id, byte[] payload, @Nullable String contentType, @Nullable String key,
		Map<String, String> headers) {

	/**
	 * Longest id, in characters.
	 */
	public static final int MAX_ID = 998;

	/**
	 * Longest content type or key, in characters.
	 */
	public static final int MAX_LABEL = 255;

	/**
	 * Longest headers, in characters of their {@link #encodedHeaders() encoded form}.
	 */
	public static final int MAX_HEADERS = 16_000;

	/**
	 * Creates a message, checking that each part fits where every store keeps it.
	 * @param id the stable id
	 * @param payload the bytes
	 * @param contentType the media type, or {@code null}
	 * @param key the routing key or topic, or {@code null}
	 * @param headers the headers
	 */
	public OutboxMessage {
		if (id.isEmpty() || id.length() > MAX_ID) {
			throw new IllegalArgumentException("An outbox message id must have 1 to " + MAX_ID + " characters");
		}
		check("content type", contentType);
		check("key", key);
		headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		if (encode(headers).length() > MAX_HEADERS) {
			throw new IllegalArgumentException(
					"The headers of outbox message " + id + " exceed " + MAX_HEADERS + " characters once encoded");
		}
	}

	/**
	 * Creates a message without an envelope, as a mail is.
	 * @param id the stable id
	 * @param payload the bytes
	 * @return the message
	 */
	public static OutboxMessage of(String id, byte[] payload) {
		return new OutboxMessage(id, payload, null, null, Map.of());
	}

	/**
	 * Returns a copy with a content type.
	 * @param contentType the media type
	 * @return the message
	 */
	public OutboxMessage withContentType(@Nullable String contentType) {
		return new OutboxMessage(this.id, this.payload, contentType, this.key, this.headers);
	}

	/**
	 * Returns a copy with a routing key or topic.
	 * @param key the key
	 * @return the message
	 */
	public OutboxMessage withKey(@Nullable String key) {
		return new OutboxMessage(this.id, this.payload, this.contentType, key, this.headers);
	}

	/**
	 * Returns a copy with one more header, replacing one of the same name.
	 * @param name the header's name
	 * @param value its value
	 * @return the message
	 */
	public OutboxMessage withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new OutboxMessage(this.id, this.payload, this.contentType, this.key, headers);
	}

	/**
	 * Returns the headers in the form the stores keep them: {@code name=value} pairs joined by {@code &}, each part
	 * form-encoded in UTF-8, so any text survives and the form can be read by eye.
	 * @return the encoded headers, empty when there are none
	 */
	public String encodedHeaders() {
		return encode(this.headers);
	}

	/**
	 * Reads headers in the form {@link #encodedHeaders()} writes.
	 * @param encoded the encoded headers, or {@code null} or empty for none
	 * @return the headers, in their order
	 */
	public static Map<String, String> decodeHeaders(@Nullable String encoded) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (encoded == null || encoded.isEmpty()) {
			return headers;
		}
		for (String pair : encoded.split("&")) {
			int equals = pair.indexOf('=');
			String name = (equals >= 0) ? pair.substring(0, equals) : pair;
			String value = (equals >= 0) ? pair.substring(equals + 1) : "";
			headers.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return headers;
	}

	private static String encode(Map<String, String> headers) {
		StringBuilder encoded = new StringBuilder();
		headers.forEach((name, value) -> {
			if (name.isEmpty()) {
				throw new IllegalArgumentException("An outbox message header needs a name");
			}
			encoded.append(encoded.isEmpty() ? "" : "&")
				.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
				.append('=')
				.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
		});
		return encoded.toString();
	}

	private static void check(String part, @Nullable String value) {
		if (value != null && (value.isEmpty() || value.length() > MAX_LABEL)) {
			throw new IllegalArgumentException(
					"An outbox message " + part + " must have 1 to " + MAX_LABEL + " characters, or be left out");
		}
	}

	@Override
	public String toString() {
		return "OutboxMessage[" + this.id + "]";
	}

}
