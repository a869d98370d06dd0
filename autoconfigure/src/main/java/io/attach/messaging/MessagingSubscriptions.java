package io.attach.messaging;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

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

	private final Supplier<HandlerDispatch.Settings> settingsSupplier;

	private final Runnable consuming;

	private volatile HandlerDispatch.@Nullable Settings settings;

	private final List<Entry> entries = new CopyOnWriteArrayList<>();

	private boolean running;

	/**
	 * Creates the subscriptions.
	 * @param broker the backend's broker
	 * @param settings what every dispatch shares, asked for by the first subscription: with a database, it creates
	 * the inbox and its table, which an application that never subscribes does without
	 * @param consuming what to run whenever a consumer starts, such as starting an outbox that runs on demand
	 */
	MessagingSubscriptions(MessageBroker broker, Supplier<HandlerDispatch.Settings> settings, Runnable consuming) {
		this.broker = broker;
		this.settingsSupplier = settings;
		this.consuming = consuming;
	}

	private HandlerDispatch.Settings settings() {
		HandlerDispatch.Settings settings = this.settings;
		if (settings == null) {
			synchronized (this) {
				settings = this.settings;
				if (settings == null) {
					settings = this.settingsSupplier.get();
					this.settings = settings;
				}
			}
		}
		return settings;
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
		HandlerDispatch.Settings settings = settings();
		JavaType javaType = settings.mapper().constructType(type);
		Entry entry = new Entry(topic, group, javaType.toCanonical(),
				new HandlerDispatch<>(group, javaType, handler, settings));
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
	public void stop() {
		CountDownLatch stopped = new CountDownLatch(1);
		stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Stops every consumer at once, each on a thread of its own, and runs the callback when all have stopped: each
	 * waits for the message it handles (up to {@code attach.amqp.shutdown-timeout} on RabbitMQ), and one after the
	 * other they would add up past the context's shutdown phase.
	 * @param callback what to run once every consumer stopped
	 */
	@Override
	public void stop(Runnable callback) {
		List<Entry> stopping;
		synchronized (this) {
			if (!this.running) {
				callback.run();
				return;
			}
			this.running = false;
			stopping = List.copyOf(this.entries);
		}
		AtomicInteger left = new AtomicInteger(stopping.size());
		if (stopping.isEmpty()) {
			callback.run();
			return;
		}
		for (Entry entry : stopping) {
			Thread thread = new Thread(() -> {
				try {
					entry.stop();
				}
				finally {
					if (left.decrementAndGet() == 0) {
						callback.run();
					}
				}
			}, "attach-messaging-stop-" + entry.group);
			thread.setDaemon(true);
			thread.start();
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
				MessagingSubscriptions.this.consuming.run();
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
			AutoCloseable consumer = this.consumer;
			// A consumer that says whether it runs is asked: one can stop for good, or not have started yet.
			return (consumer instanceof Consumer reporting) ? reporting.isConsuming() : consumer != null;
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
