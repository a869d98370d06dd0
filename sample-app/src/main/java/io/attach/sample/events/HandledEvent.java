package io.attach.sample.events;

import java.time.Instant;

/**
 * A {@code user.created} event as the event log's subscriber handled it.
 *
 * @param messageId the message's id, the same on every delivery of it
 * @param userId the new user's id
 * @param email the new user's e-mail address
 * @param createdAt when the user was created, as the event says
 * @param handledAt when the subscriber handled it
 * @author attach
 */
public record HandledEvent(String messageId, long userId, String email, Instant createdAt, Instant handledAt) {

}
