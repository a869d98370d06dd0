package io.attach.messaging;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A message as a {@link MessageHandler} receives it.
 *
 * @param <T> the payload's type
 * @param id the message's id, the same on every delivery of it
 * @param topic the topic it was published to
 * @param key its key, or {@code null}
 * @param headers its headers, without attach's own
 * @param payload the payload, read from JSON
 * @param attempt which delivery to this group this is, from 1
 * @author attach
 */
public record ReceivedMessage<T>(String id, String topic, @Nullable String key, Map<String, String> headers,
		T payload, int attempt) {

}
