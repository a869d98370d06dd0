package io.attach.messaging;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message as a backend received it, before its payload is read: what {@link Dispatch} is given.
 *
 * @param id the message's id
 * @param topic the topic
 * @param key the key, or {@code null}
 * @param headers the application's headers, without attach's own
 * @param payload the payload's bytes, JSON
 * @param attempt which delivery to the group this is, from 1, counted in attach's own header
 * @author attach
 */
record InboundMessage(String id, String topic, @Nullable String key, Map<String, String> headers, byte[] payload,
		int attempt) {

}
