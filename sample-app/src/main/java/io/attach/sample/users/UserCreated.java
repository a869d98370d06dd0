package io.attach.sample.users;

import java.time.Instant;

/**
 * The event published on {@value #TOPIC} when a user is created, in the transaction that creates it.
 *
 * @param userId the new user's id
 * @param email the new user's e-mail address
 * @param createdAt when the user was created
 * @author attach
 */
public record UserCreated(long userId, String email, Instant createdAt) {

	/**
	 * The topic the event is published on.
	 */
	public static final String TOPIC = "user.created";

}
