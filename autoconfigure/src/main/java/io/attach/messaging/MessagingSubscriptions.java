package io.attach.messaging;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.context.SmartLifecycle;

/**
 * The application's {@link Subscriptions}, declared or programmatic: each starts consuming from the broker when the
 * context starts, before the outbox's relay so that no message finds its group without a consumer, and stops after
 * the relay; one subscribed later starts at once.
 *
 * @author attach
 */
final class MessagingSubscriptions implements Subscriptions, SmartLifecycle {

	/**
	 * Before the messaging outbox starts ({@code DEFAULT_PHASE - 1536}), and so after it stops.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1792;

	private static final Log logger = LogFactory.getLog(MessagingSubscriptions.class);

	private final MessageBroker broker;

	private final HandlerDispatch.Settings settings;

	private final List<Entry> entries = new CopyOnWriteArrayList<>();

	private boolean running;

	MessagingSubscriptions(MessageBroker broker, HandlerDispatch.Settings settings) {
		this.broker = broker;
		this.settings = settings;
	}

	@Override
	public <T> Subscription subscribe(String topic, String group, Class<T> type, MessageHandler<T> handler) {
		return subscribe(topic, group, (Type) type, handler);
	}

	/**
	 * Subscribes a handler whose payload has a generic type, such as a list.
	 * @param <T> the payload's type
	 * @param topic the topic
	 * @param group the group
	 * @param type the payload's type
	 * @param handler the handler
	 * @return the subscription
	 */
	<T> Subscription subscribe(String topic, String group, Type type, MessageHandler<T> handler) {
		Topics.check(topic);
		Topics.checkGroup(group);
		JavaType javaType = this.settings.mapper().constructType(type);
		Entry entry = new Entry(topic, group, javaType.toCanonical(),
				new HandlerDispatch<>(group, javaType, handler, this.settings));
		synchronized (this) {
			this.entries.add(entry);
			if (this.running) {
				entry.start();
			}
		}
		return entry;
	}

	/**
	 * Describes the subscriptions, for the endpoint.
	 * @return each subscription's topic, group, payload type and whether it consumes
	 */
	List<Description> describe() {
		List<Description> descriptions = new ArrayList<>();
		this.entries.forEach((entry) -> descriptions
			.add(new Description(entry.topic, entry.group, entry.type, entry.isConsuming())));
		return descriptions;
	}

	@Override
	public synchronized void start() {
		if (!this.running) {
			this.running = true;
			this.entries.forEach(Entry::start);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.running) {
			this.running = false;
			this.entries.forEach(Entry::stop);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Describes one subscription.
	 *
	 * @param topic the topic
	 * @param group the group
	 * @param type the payload's type
	 * @param consuming whether it receives messages now
	 */
	record Description(String topic, String group, String type, boolean consuming) {

	}

	/**
	 * One subscription and its consumer, while it consumes.
	 */
	private final class Entry implements Subscription {

		private final String topic;

		private final String group;

		private final String type;

		private final Dispatch dispatch;

		private @Nullable AutoCloseable consumer;

		Entry(String topic, String group, String type, Dispatch dispatch) {
			this.topic = topic;
			this.group = group;
			this.type = type;
			this.dispatch = dispatch;
		}

		synchronized void start() {
			if (this.consumer == null) {
				this.consumer = MessagingSubscriptions.this.broker.consume(this.topic, this.group, this.dispatch);
			}
		}

		synchronized void stop() {
			AutoCloseable consumer = this.consumer;
			this.consumer = null;
			if (consumer != null) {
				try {
					consumer.close();
				}
				catch (Exception ex) {
					logger.warn("Could not stop the consumer of group " + this.group + " on topic " + this.topic, ex);
				}
			}
		}

		synchronized boolean isConsuming() {
			return this.consumer != null;
		}

		@Override
		public String topic() {
			return this.topic;
		}

		@Override
		public String group() {
			return this.group;
		}

		@Override
		public void close() {
			MessagingSubscriptions.this.entries.remove(this);
			stop();
		}

	}

}
