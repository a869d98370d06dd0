package io.attach.messaging;

import io.attach.outbox.Backoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates the {@link HandlerDispatch.Settings} every subscription shares, when the first one needs them, and warns
 * when a broker backend has no {@link Inbox}: its handlers then see the duplicates at-least-once delivery produces.
 *
 * @author attach
 */
final class DispatchSettings {

	private static final Log logger = LogFactory.getLog(DispatchSettings.class);

	private DispatchSettings() {
	}

	/**
	 * Creates the settings.
	 * @param broker the backend
	 * @param inbox the inbox, or {@code null} when there is none
	 * @param inboxEnabled whether the inbox is enabled
	 * @param mapper the application's JSON mapper
	 * @param backoff the backoff between attempts
	 * @param maxAttempts the most deliveries before a message is parked
	 * @param listener what is told the outcomes
	 * @return the settings
	 */
	static HandlerDispatch.Settings create(MessageBroker broker, @Nullable Inbox inbox, boolean inboxEnabled,
			JsonMapper mapper, Backoff backoff, int maxAttempts, MessagingListener listener) {
		// The in-process backend hands each message over once, with no redelivery after a crash to drop.
		if (inbox == null && !(broker instanceof InProcessMessageBroker)) {
			String why = inboxEnabled ? "the application has no single DataSource for it"
					: "attach.messaging.inbox.enabled is false";
			logger.warn("Messaging consumes from a broker without an inbox (" + why + "): a message the broker"
					+ " delivers again, such as after a lost connection or a restart before the acknowledgement, reaches"
					+ " its handler again. Make handlers idempotent, or attach a database for the inbox");
		}
		return new HandlerDispatch.Settings(mapper, inbox, backoff, maxAttempts, listener);
	}

}
