package io.attach.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.attach.outbox.Backoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link Dispatch} of one subscription: reads the payload with the application's mapper, runs the handler (with
 * an inbox, in a transaction that records the message first and drops it if the group handled it before), and turns
 * the handler's exceptions into outcomes: {@link ParkMessageException} parks, anything else retries with backoff
 * until the attempts run out.
 *
 * @param <T> the payload's type
 * @author attach
 */
final class HandlerDispatch<T> implements Dispatch {

	private static final Log logger = LogFactory.getLog(HandlerDispatch.class);

	// Reasons end up in the endpoint and in broker headers: keep them short.
	private static final int MAX_REASON = 500;

	private final String group;

	private final JavaType type;

	private final MessageHandler<T> handler;

	private final Settings settings;

	HandlerDispatch(String group, JavaType type, MessageHandler<T> handler, Settings settings) {
		this.group = group;
		this.type = type;
		this.handler = handler;
		this.settings = settings;
	}

	@Override
	public Outcome dispatch(InboundMessage message) {
		MessagingListener listener = this.settings.listener();
		if (message.attempt() > 1) {
			listener.retried(message.topic(), this.group);
		}
		ReceivedMessage<T> received;
		try {
			received = read(message);
		}
		catch (UnreadableException ex) {
			return park(message, String.valueOf(ex.getMessage()));
		}
		try {
			Inbox inbox = this.settings.inbox();
			if (inbox != null) {
				if (!inbox.handleOnce(this.group, message.topic(), message.id(), () -> this.handler.handle(received))) {
					listener.duplicate(message.topic(), this.group);
					return new Outcome.Duplicate();
				}
			}
			else {
				this.handler.handle(received);
			}
			listener.consumed(message.topic(), this.group);
			return new Outcome.Handled();
		}
		catch (VirtualMachineError ex) {
			throw ex;
		}
		catch (Throwable ex) {
			return failed(message, ex);
		}
	}

	@Override
	public boolean batches() {
		Inbox inbox = this.settings.inbox();
		return inbox != null && inbox.batches();
	}

	/**
	 * Handles messages that arrived together in one inbox transaction, which costs one commit instead of one each.
	 * Every payload is read and every record written before any handler runs, so that an unreadable message (parked
	 * alone) or one handled before (the batch is then dispatched message by message) calls no handler twice; a
	 * handler that fails is rolled back to its savepoint and gets the outcome it gets alone, and the others commit.
	 */
	@Override
	public List<Outcome> dispatchAll(List<InboundMessage> messages) {
		Inbox inbox = this.settings.inbox();
		if (inbox == null || !inbox.batches() || messages.size() < 2) {
			return Dispatch.super.dispatchAll(messages);
		}
		Outcome[] outcomes = new Outcome[messages.size()];
		List<InboundMessage> batch = new ArrayList<>(messages.size());
		List<ReceivedMessage<T>> received = new ArrayList<>(messages.size());
		List<Integer> positions = new ArrayList<>(messages.size());
		for (int i = 0; i < messages.size(); i++) {
			try {
				received.add(read(messages.get(i)));
				batch.add(messages.get(i));
				positions.add(i);
			}
			catch (UnreadableException ex) {
				outcomes[i] = dispatch(messages.get(i));
			}
		}
		List<@Nullable Throwable> failures;
		try {
			failures = inbox.handleAllOnce(this.group, batch, (index) -> this.handler.handle(received.get(index)));
		}
		catch (RuntimeException ex) {
			// Nothing of the batch happened: a message handled before, or the database. Each alone finds out which.
			if (logger.isDebugEnabled()) {
				logger.debug("Group " + this.group + " handles a batch of " + batch.size()
						+ " messages one by one: " + ex);
			}
			for (int k = 0; k < batch.size(); k++) {
				outcomes[positions.get(k)] = dispatch(batch.get(k));
			}
			return List.of(outcomes);
		}
		MessagingListener listener = this.settings.listener();
		for (int k = 0; k < batch.size(); k++) {
			InboundMessage message = batch.get(k);
			if (message.attempt() > 1) {
				listener.retried(message.topic(), this.group);
			}
			Throwable failure = failures.get(k);
			if (failure == null) {
				listener.consumed(message.topic(), this.group);
			}
			outcomes[positions.get(k)] = (failure != null) ? failed(message, failure) : new Outcome.Handled();
		}
		return List.of(outcomes);
	}

	private ReceivedMessage<T> read(InboundMessage message) {
		@Nullable T payload;
		try {
			payload = this.settings.mapper().readValue(message.payload(), this.type);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			// Retrying cannot make the bytes readable.
			String why = (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage();
			throw new UnreadableException("Unreadable payload for " + this.type.toCanonical() + ": " + why);
		}
		if (payload == null) {
			throw new UnreadableException("Payload is JSON null, not a " + this.type.toCanonical());
		}
		return new ReceivedMessage<>(message.id(), message.topic(), message.key(), message.headers(), payload,
				message.attempt());
	}

	private Outcome failed(InboundMessage message, Throwable failure) {
		ParkMessageException park = find(failure, ParkMessageException.class);
		if (park != null) {
			return park(message, reason(park));
		}
		if (InfrastructureFailures.isTransient(failure)) {
			// The database the inbox is in was unreachable, not the handler at fault: an outage must not use up the
			// attempts of every message consumed meanwhile and park them all.
			Duration delay = this.settings.backoff().after(message.attempt());
			if (logger.isDebugEnabled()) {
				logger.debug("Group " + this.group + " could not handle message " + message.id() + " of topic "
						+ message.topic() + " (attempt " + message.attempt() + ", not counted), retrying in " + delay
						+ ": " + reason(failure), failure);
			}
			return new Outcome.Retry(delay, reason(failure), false);
		}
		RetryLaterException later = find(failure, RetryLaterException.class);
		String reason = (later != null) ? reason(later) : reason(failure);
		if (message.attempt() >= this.settings.maxAttempts()) {
			return park(message, "Failed " + message.attempt() + " attempts, the last: " + reason);
		}
		Duration delay = this.settings.backoff().after(message.attempt());
		Duration asked = (later != null) ? later.getDelay() : null;
		if (asked != null && asked.compareTo(delay) > 0) {
			delay = asked;
		}
		if (logger.isDebugEnabled()) {
			logger.debug("Group " + this.group + " failed message " + message.id() + " of topic " + message.topic()
					+ " (attempt " + message.attempt() + "), retrying in " + delay + ": " + reason, failure);
		}
		return new Outcome.Retry(delay, reason);
	}

	private Outcome park(InboundMessage message, String reason) {
		logger.warn("Group " + this.group + " parked message " + message.id() + " of topic " + message.topic()
				+ " (attempt " + message.attempt() + "): " + reason);
		this.settings.listener().parked(message.topic(), this.group);
		return new Outcome.Park(truncate(reason));
	}

	private static <E extends Throwable> @Nullable E find(Throwable failure, Class<E> type) {
		// Proxies and frameworks wrap what the handler threw.
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static String reason(Throwable failure) {
		String message = failure.getMessage();
		if (failure instanceof ParkMessageException || failure instanceof RetryLaterException) {
			return truncate(String.valueOf(message));
		}
		return truncate(failure.getClass().getName() + ((message != null) ? ": " + message : ""));
	}

	private static String truncate(String reason) {
		return (reason.length() <= MAX_REASON) ? reason : reason.substring(0, MAX_REASON - 3) + "...";
	}

	/**
	 * Why a payload cannot be handled.
	 */
	private static final class UnreadableException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UnreadableException(String reason) {
			super(reason, null, false, false);
		}

	}

	/**
	 * What every subscription's dispatch shares.
	 *
	 * @param mapper the application's JSON mapper
	 * @param inbox the inbox, or {@code null} without a database
	 * @param backoff the backoff between attempts
	 * @param maxAttempts the most deliveries before a message is parked
	 * @param listener what is told the outcomes
	 */
	record Settings(JsonMapper mapper, @Nullable Inbox inbox, Backoff backoff, int maxAttempts,
			MessagingListener listener) {

	}

}
