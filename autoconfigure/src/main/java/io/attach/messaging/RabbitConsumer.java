package io.attach.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import io.attach.outbox.Backoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.util.Assert;

/**
 * Hands each message of a group's queue to its {@link Dispatch} and acts on the outcome, acknowledging only once what
 * follows is safe: a retry's copy or a parked copy is confirmed by the broker before the original is acked.
 * <p>
 * The container's consumer hands messages over and goes on receiving; a thread of this consumer's dispatches whatever
 * arrived meanwhile together (at most the prefetch), so that under load the inbox commits many messages at once, and
 * an idle queue's message is dispatched on its own at once.
 * <p>
 * When the broker does not take the copy (a blocked or lost publishing connection, a retry queue someone deleted),
 * the message stays unacknowledged and the copy is published again with backoff, holding this consumer, rather than
 * going back to the queue at once: that would run its handler again in a tight loop and use up the delivery limit,
 * which is meant for handlers that crash, for a broker problem. Only when the consumer stops or its channel closes
 * does the message go back to the queue. Anything else unexpected, such as a dispatch that throws, nacks the message
 * back to the queue, whose delivery limit parks it if that keeps happening, so it is never dropped.
 *
 * @author attach
 */
final class RabbitConsumer implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(RabbitConsumer.class);

	// The header quorum queues count a message's failed deliveries in.
	private static final String DELIVERY_COUNT_HEADER = "x-delivery-count";

	private final RabbitGroupQueues queues;

	private final Dispatch dispatch;

	private final RabbitConfirmedSender sender;

	private final Settings settings;

	private final Object pause = new Object();

	private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean stopped;

	RabbitConsumer(RabbitGroupQueues queues, Dispatch dispatch, RabbitConfirmedSender sender, Settings settings) {
		this.queues = queues;
		this.dispatch = dispatch;
		this.sender = sender;
		this.settings = settings;
	}

	/**
	 * Stops publishing a copy again, so that the container can stop: the message goes back to its queue.
	 */
	void stop() {
		this.stopped = true;
		synchronized (this.pause) {
			this.pause.notifyAll();
		}
	}

	/**
	 * Starts the threads that handle what the container hands over, one per consumer of the container.
	 */
	synchronized void start() {
		if (!this.workers.isEmpty() || this.stopped) {
			return;
		}
		for (int i = 1; i <= Math.max(1, this.settings.consumers()); i++) {
			Thread worker = new Thread(this::work, "attach-messaging-" + this.queues.queue() + "-" + i);
			worker.setDaemon(true);
			this.workers.add(worker);
			worker.start();
		}
	}

	/**
	 * Waits for the message being handled, if any, to be settled, after {@link #stop()}.
	 * @param timeout how long to wait at most
	 */
	void awaitStopped(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		List<Thread> started;
		synchronized (this) {
			started = List.copyOf(this.workers);
		}
		for (Thread worker : started) {
			worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
		}
	}

	/**
	 * Takes a message from the container's consumer and returns at once, so that the container goes on receiving
	 * while this consumer's threads handle what it received before: whatever arrived meanwhile is handled together,
	 * in one inbox transaction, however many the prefetch allows.
	 */
	@Override
	public void onMessage(Message message, @Nullable Channel channel) {
		// Never null with manual acknowledgements, where the container hands over its channel.
		Assert.state(channel != null, "No channel to acknowledge on");
		if (this.stopped) {
			// Left unacknowledged: it goes back to the queue when the container closes the channel.
			return;
		}
		this.deliveries.add(new Delivery(message, channel));
	}

	private void work() {
		List<Delivery> batch = new ArrayList<>();
		while (!this.stopped) {
			try {
				Delivery first = this.deliveries.poll(1, TimeUnit.SECONDS);
				if (first == null || this.stopped) {
					continue;
				}
				batch.add(first);
				this.deliveries.drainTo(batch, Math.max(1, this.settings.batchSize()) - 1);
				handle(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// Unsettled messages go back to the queue with their channel, whose delivery limit parks a message
				// that keeps failing: this thread must go on with the next ones.
				logger.warn("Messaging could not settle " + batch.size() + " message(s) of " + this.queues.queue()
						+ "; unacknowledged, they go back to the queue: " + ex, ex);
			}
			finally {
				batch.clear();
			}
		}
	}

	private void handle(List<Delivery> batch) throws InterruptedException {
		// The broker gives back, itself, what it delivered on a channel that has closed since.
		batch.removeIf((delivery) -> !delivery.channel().isOpen());
		int size = batch.size();
		@Nullable Copy[] copies = new Copy[size];
		List<InboundMessage> readable = new ArrayList<>(size);
		List<Integer> readableAt = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			Message message = batch.get(i).message();
			if (Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())) {
				this.settings.listener().redelivered(this.queues.topic(), this.queues.group());
			}
			try {
				readable.add(RabbitMessages.inbound(message, this.queues.topic()));
				readableAt.add(i);
			}
			catch (IllegalArgumentException ex) {
				copies[i] = park(message, String.valueOf(ex.getMessage()));
			}
		}
		List<Outcome> outcomes;
		try {
			outcomes = this.dispatch.dispatch(readable);
		}
		catch (RuntimeException ex) {
			for (int at : readableAt) {
				nack(batch.get(at), "it goes back to the queue: " + ex.getMessage());
			}
			readableAt.clear();
			outcomes = List.of();
		}
		boolean[] nacked = new boolean[size];
		for (int k = 0; k < readableAt.size(); k++) {
			copies[readableAt.get(k)] = copyOf(batch.get(readableAt.get(k)).message(), readable.get(k),
					outcomes.get(k));
		}
		if (outcomes.isEmpty() && !readable.isEmpty()) {
			for (int i = 0; i < size; i++) {
				nacked[i] = copies[i] == null;
			}
		}
		for (int i = 0; i < size; i++) {
			if (nacked[i]) {
				continue;
			}
			Delivery delivery = batch.get(i);
			Copy copy = copies[i];
			if (copy != null && !publish(copy, delivery.channel())) {
				nack(delivery, "the consumer stopped while RabbitMQ did not take its " + copy.what()
						+ "; it goes back to the queue");
				continue;
			}
			ack(delivery);
		}
	}

	private @Nullable Copy copyOf(Message message, InboundMessage inbound, Outcome outcome) {
		if (outcome instanceof Outcome.Retry retry) {
			// The tier's queue-level TTL is the delay; then it dead-letters the copy back to the group's queue.
			RabbitGroupQueues.Tier tier = this.queues.retry(retry.delay());
			return new Copy(tier.queue(), RabbitMessages.copy(message, retry.next(inbound.attempt()), null), "retry copy");
		}
		if (outcome instanceof Outcome.Park park) {
			return park(message, park.reason());
		}
		return null;
	}

	private void ack(Delivery delivery) {
		try {
			delivery.channel().basicAck(delivery.message().getMessageProperties().getDeliveryTag(), false);
		}
		catch (IOException | RuntimeException ex) {
			// Its channel closed meanwhile: the broker delivers it again, and the inbox drops it.
			logger.debug("Messaging could not acknowledge message "
					+ delivery.message().getMessageProperties().getMessageId() + " of " + this.queues.queue(), ex);
		}
	}

	private Copy park(Message message, String reason) {
		logger.debug("Messaging parks message " + message.getMessageProperties().getMessageId() + " of "
				+ this.queues.queue() + ": " + reason);
		return new Copy(this.queues.parked(), RabbitMessages.copy(message, RabbitMessages.attempt(message), reason),
				"parked copy");
	}

	private boolean publish(Copy copy, Channel channel) throws InterruptedException {
		if (this.stopped) {
			return false;
		}
		for (int failures = 1;; failures++) {
			try {
				this.sender.send("", copy.queue(), copy.message(), this.queues.topic());
				return true;
			}
			catch (Exception ex) {
				if (ex instanceof RabbitConfirmedSender.ReturnedException) {
					// The queue is gone, so the broker lost it without a new connection: declare it again.
					this.settings.redeclare().run();
				}
				Duration wait = this.settings.backoff().after(failures);
				logger.warn("Messaging could not publish the " + copy.what() + " of message "
						+ copy.message().getMessageProperties().getMessageId() + " to " + copy.queue() + " (failure "
						+ failures + "); the message stays unacknowledged and the copy is published again in "
						+ wait.toMillis() + " ms: " + ex.getMessage());
				if (!pause(wait) || !channel.isOpen()) {
					return false;
				}
			}
		}
	}

	private boolean pause(Duration wait) throws InterruptedException {
		long until = System.nanoTime() + wait.toNanos();
		synchronized (this.pause) {
			long left;
			while (!this.stopped && (left = until - System.nanoTime()) > 0) {
				this.pause.wait(Math.max(1, left / 1_000_000));
			}
		}
		return !this.stopped;
	}

	private void nack(Delivery delivery, String why) {
		Message message = delivery.message();
		Channel channel = delivery.channel();
		logger.warn("Messaging could not settle message " + message.getMessageProperties().getMessageId() + " of "
				+ this.queues.queue() + "; " + why);
		if (!channel.isOpen()) {
			// The broker gives it back itself.
			return;
		}
		try {
			channel.basicNack(message.getMessageProperties().getDeliveryTag(), false, true);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Messaging could not give back message " + message.getMessageProperties().getMessageId(), ex);
			return;
		}
		if (deliveryCount(message) + 1 > this.settings.deliveryLimit()) {
			// This was its last delivery: the queue dead-letters it to the parked queue now.
			this.settings.listener().parked(this.queues.topic(), this.queues.group());
		}
	}

	private static long deliveryCount(Message message) {
		Object count = message.getMessageProperties().getHeader(DELIVERY_COUNT_HEADER);
		return (count instanceof Number number) ? number.longValue() : 0;
	}

	/**
	 * What every consumer of a broker shares.
	 *
	 * @param listener what is told broker redeliveries and the delivery limit's parks
	 * @param deliveryLimit the group queues' delivery limit
	 * @param backoff the backoff between publishes of a copy the broker did not take
	 * @param redeclare declares the subscription's queues again
	 * @param batchSize at most how many messages are handled in one inbox transaction
	 * @param consumers how many threads handle messages, as many as the container has consumers
	 */
	record Settings(MessagingListener listener, int deliveryLimit, Backoff backoff, Runnable redeclare, int batchSize,
			int consumers) {

	}

	private record Copy(String queue, Message message, String what) {

	}

	private record Delivery(Message message, Channel channel) {

	}

}
