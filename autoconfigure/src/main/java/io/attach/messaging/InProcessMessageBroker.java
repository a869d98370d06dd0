package io.attach.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.outbox.OutboxDelivery;
import io.attach.outbox.OutboxItem;
import io.attach.outbox.RejectedItemException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@link MessageBroker} of development: the outbox's relay hands each message to every group subscribed to its
 * topic in this application, to one consumer of each in turn.
 * <p>
 * <strong>For development only.</strong> A message leaves the outbox once each group's first attempt has run; its
 * retries and the parked messages of failed consumptions are kept in memory, and are lost when the application
 * stops. A message to a topic no group subscribes to stays in the outbox, as a broker returns it, until one does.
 *
 * @author attach
 */
final class InProcessMessageBroker implements MessageBroker, AutoCloseable {

	private static final Log logger = LogFactory.getLog(InProcessMessageBroker.class);

	// topic -> group -> consumers; the group's entry stays while it has a consumer.
	private final Map<String, Map<String, Group>> topics = new ConcurrentHashMap<>();

	private final Map<String, Parked> parked = new LinkedHashMap<>();

	private final Runnable firstUse;

	private final AtomicBoolean used = new AtomicBoolean();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "attach-messaging-in-process");
		thread.setDaemon(true);
		return thread;
	});

	/**
	 * Creates the broker.
	 * @param firstUse what to run once, when the first message or subscription arrives, such as a warning that an
	 * application not using messaging need not see
	 */
	InProcessMessageBroker(Runnable firstUse) {
		this.firstUse = firstUse;
	}

	@Override
	public OutboxDelivery delivery() {
		return () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) throws RejectedItemException {
				InProcessMessageBroker.this.deliver(item);
			}

			@Override
			public void close() {
			}

		};
	}

	private void deliver(OutboxItem item) throws RejectedItemException {
		used();
		Map<String, String> headers = new LinkedHashMap<>(item.message().headers());
		String topic = headers.remove(TOPIC_HEADER);
		headers.keySet().removeIf((name) -> name.startsWith(OutboxMessagePublisher.RESERVED_PREFIX));
		if (topic == null) {
			throw new RejectedItemException("Outbox item " + item.id() + " names no topic (" + TOPIC_HEADER
					+ " header)", true, new IllegalArgumentException("no topic"));
		}
		Map<String, Group> groups = this.topics.getOrDefault(topic, Map.of());
		if (groups.isEmpty()) {
			// As a broker returns a mandatory message no queue takes: it waits in the outbox until a group subscribes.
			throw new RejectedItemException("No group subscribes to topic " + topic, false,
					new IllegalStateException("no consumer"));
		}
		InboundMessage message = new InboundMessage(item.id(), topic, item.message().key(), Map.copyOf(headers),
				item.payload(), 1);
		// Each group settles on its own: one that retries or parks does not hold the message back from the others.
		groups.forEach((name, group) -> handle(name, group, message));
	}

	private void handle(String name, Group group, InboundMessage message) {
		Dispatch dispatch = group.next();
		if (dispatch == null) {
			park(name, message, "The group has no consumer");
			return;
		}
		Outcome outcome;
		try {
			outcome = dispatch.dispatch(message);
		}
		catch (RuntimeException ex) {
			// A dispatch never throws; should one, the message waits for an operator rather than vanish.
			outcome = new Outcome.Park(String.valueOf(ex));
		}
		if (outcome instanceof Outcome.Retry retry) {
			InboundMessage next = new InboundMessage(message.id(), message.topic(), message.key(), message.headers(),
					message.payload(), retry.next(message.attempt()));
			schedule(() -> handle(name, group, next), retry.delay());
		}
		else if (outcome instanceof Outcome.Park park) {
			park(name, message, park.reason());
		}
	}

	private void schedule(Runnable task, Duration delay) {
		try {
			this.scheduler.schedule(() -> {
				try {
					task.run();
				}
				catch (RuntimeException ex) {
					logger.warn("In-process delivery failed", ex);
				}
			}, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.warn("The in-process broker is closed: a message's retry is dropped");
		}
	}

	private void park(String group, InboundMessage message, String reason) {
		synchronized (this.parked) {
			this.parked.put(key(group, message.topic(), message.id()), new Parked(group, message, reason));
		}
	}

	@Override
	public AutoCloseable consume(String topic, String group, Dispatch dispatch) {
		used();
		Group consumers = this.topics.computeIfAbsent(topic, (name) -> new ConcurrentHashMap<>())
			.computeIfAbsent(group, (name) -> new Group());
		consumers.dispatches.add(dispatch);
		return () -> consumers.dispatches.remove(dispatch);
	}

	private void used() {
		if (this.used.compareAndSet(false, true)) {
			this.firstUse.run();
		}
	}

	@Override
	public List<ParkedMessage> parked(int limit) {
		List<ParkedMessage> messages = new ArrayList<>();
		synchronized (this.parked) {
			for (Parked entry : this.parked.values()) {
				if (messages.size() >= limit) {
					break;
				}
				messages.add(new ParkedMessage(entry.group(), entry.message().topic(), entry.message().id(),
						entry.message().attempt(), Optional.of(entry.reason())));
			}
		}
		return messages;
	}

	@Override
	public boolean requeue(String group, String id) {
		return requeue(group, null, id);
	}

	@Override
	public boolean requeue(String group, @Nullable String topic, String id) {
		Parked entry = take(group, topic, id);
		if (entry == null) {
			return false;
		}
		InboundMessage message = entry.message();
		InboundMessage first = new InboundMessage(message.id(), message.topic(), message.key(), message.headers(),
				message.payload(), 1);
		Group consumers = this.topics.getOrDefault(message.topic(), Map.of()).get(group);
		schedule(() -> handle(group, (consumers != null) ? consumers : new Group(), first), Duration.ZERO);
		return true;
	}

	@Override
	public boolean discard(String group, String id) {
		return discard(group, null, id);
	}

	@Override
	public boolean discard(String group, @Nullable String topic, String id) {
		return take(group, topic, id) != null;
	}

	private @Nullable Parked take(String group, @Nullable String topic, String id) {
		synchronized (this.parked) {
			if (topic != null) {
				return this.parked.remove(key(group, topic, id));
			}
			// Without a topic, the oldest of the group's parked messages with that id, whatever its topic.
			for (Map.Entry<String, Parked> entry : this.parked.entrySet()) {
				Parked parked = entry.getValue();
				if (parked.group().equals(group) && parked.message().id().equals(id)) {
					return this.parked.remove(entry.getKey());
				}
			}
			return null;
		}
	}

	private static String key(String group, String topic, String id) {
		// Neither a group nor a topic name can hold a space: the triple is unambiguous. The topic is part of it: an id
		// may be reused on two topics, and the second message must not replace the first.
		return group + " " + topic + " " + id;
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

	/**
	 * The consumers of one group, which take its messages in turn.
	 */
	private static final class Group {

		private final List<Dispatch> dispatches = new CopyOnWriteArrayList<>();

		private final AtomicInteger turn = new AtomicInteger();

		@Nullable Dispatch next() {
			List<Dispatch> current = List.copyOf(this.dispatches);
			if (current.isEmpty()) {
				return null;
			}
			return current.get(Math.floorMod(this.turn.getAndIncrement(), current.size()));
		}

	}

	/**
	 * A parked message of a group.
	 *
	 * @param group the group
	 * @param message the message, as last delivered
	 * @param reason why it was parked
	 */
	private record Parked(String group, InboundMessage message, String reason) {

	}

}
