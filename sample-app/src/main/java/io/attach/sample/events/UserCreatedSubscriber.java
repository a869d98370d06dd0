package io.attach.sample.events;

import java.time.Instant;

import io.attach.messaging.ReceivedMessage;
import io.attach.messaging.Subscribe;
import io.attach.sample.users.UserCreated;

import org.springframework.stereotype.Component;

/**
 * Records each {@link UserCreated} event in the event log. attach's inbox makes it idempotent: with a database
 * attached, the message's id is recorded in the same transaction as the row written here, and a redelivery of it is
 * dropped before this method is called.
 *
 * @author attach
 */
@Component
class UserCreatedSubscriber {

	/**
	 * The group: every application instance of the sample shares it, so each event is handled by one of them.
	 */
	static final String GROUP = "events-log";

	private final EventLog log;

	UserCreatedSubscriber(EventLog log) {
		this.log = log;
	}

	@Subscribe(topic = UserCreated.TOPIC, group = GROUP)
	void onUserCreated(ReceivedMessage<UserCreated> message) {
		UserCreated event = message.payload();
		this.log.record(new HandledEvent(message.id(), event.userId(), event.email(), event.createdAt(),
				Instant.now()));
	}

}
