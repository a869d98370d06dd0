package io.attach.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import io.attach.outbox.Backoff;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.util.Assert;

/**
 * Hands each message of a group's queue to its {@link Dispatch} and acts on the outcome, acknowledging only once what
 * follows is safe: a retry's copy or a parked copy is confirmed by the broker before the original is acked.
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
final class RabbitConsumer implements ChannelAwareBatchMessageListener {

	private static final Log logger = LogFactory.getLog(RabbitConsumer.class);

	// The header quorum queues count a message's failed deliveries in.
	private static final String DELIVERY_COUNT_HEADER = "x-delivery-count";

	private final RabbitGroupQueues queues;

	private final Dispatch dispatch;

	private final RabbitConfirmedSender sender;

	private final Settings settings;

	private final Object pause = new Object();

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

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		// Never null with manual acknowledgements, where the container hands over its channel.
		Assert.state(channel != null, "No channel to acknowledge on");
		countRedelivery(message);
		Copy copy;
		try {
			copy = act(message);
		}
		catch (RuntimeException ex) {
			nack(message, channel, "it goes back to the queue: " + ex.getMessage());
			return;
		}
		settle(message, copy, channel);
	}

	/**
	 * Handles the messages the container gathered, all in one inbox transaction when the dispatch can, then settles
	 * each in order as {@link #onMessage} does.
	 */
	@Override
	public void onMessageBatch(List<Message> messages, @Nullable Channel channel) {
		Assert.state(channel != null, "No channel to acknowledge on");
		try {
			handleBatch(messages, channel);
		}
		catch (InterruptedException ex) {
			// Stopping: what is not acknowledged goes back to the queue with the channel.
			Thread.currentThread().interrupt();
		}
		catch (IOException | AmqpException ex) {
			logger.warn("Messaging could not settle messages of " + this.queues.queue() + "; those not acknowledged"
					+ " go back to the queue when the channel closes: " + ex);
		}
	}

	private void handleBatch(List<Message> messages, Channel channel) throws IOException, InterruptedException {
		List<Message> readable = new ArrayList<>(messages.size());
		List<InboundMessage> inbound = new ArrayList<>(messages.size());
		for (Message message : messages) {
			countRedelivery(message);
			try {
				inbound.add(RabbitMessages.inbound(message, this.queues.topic()));
				readable.add(message);
			}
			catch (IllegalArgumentException ex) {
				// Parked alone below.
			}
		}
		List<Outcome> outcomes;
		try {
			outcomes = this.dispatch.dispatchAll(inbound);
		}
		catch (RuntimeException ex) {
			for (Message message : messages) {
				nack(message, channel, "it goes back to the queue: " + ex.getMessage());
			}
			return;
		}
		int next = 0;
		for (Message message : messages) {
			Copy copy;
			try {
				if (next < readable.size() && readable.get(next) == message) {
					copy = copy(message, inbound.get(next), outcomes.get(next));
					next++;
				}
				else {
					copy = act(message);
				}
			}
			catch (RuntimeException ex) {
				nack(message, channel, "it goes back to the queue: " + ex.getMessage());
				continue;
			}
			settle(message, copy, channel);
		}
	}

	private void countRedelivery(Message message) {
		if (Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())) {
			this.settings.listener().redelivered(this.queues.topic(), this.queues.group());
		}
	}

	private void settle(Message message, @Nullable Copy copy, Channel channel) throws IOException, InterruptedException {
		if (copy != null && !publish(copy, channel)) {
			nack(message, channel, "the consumer stopped while RabbitMQ did not take its " + copy.what()
					+ "; it goes back to the queue");
			return;
		}
		channel.basicAck(message.getMessageProperties().getDeliveryTag(), false);
	}

	private @Nullable Copy act(Message message) {
		InboundMessage inbound;
		try {
			inbound = RabbitMessages.inbound(message, this.queues.topic());
		}
		catch (IllegalArgumentException ex) {
			return park(message, String.valueOf(ex.getMessage()));
		}
		return copy(message, inbound, this.dispatch.dispatch(inbound));
	}

	private @Nullable Copy copy(Message message, InboundMessage inbound, Outcome outcome) {
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

	private Copy park(Message message, String reason) {
		logger.debug("Messaging parks message " + message.getMessageProperties().getMessageId() + " of "
				+ this.queues.queue() + ": " + reason);
		return new Copy(this.queues.parked(), RabbitMessages.copy(message, RabbitMessages.attempt(message), reason),
				"parked copy");
	}

	private boolean publish(Copy copy, Channel channel) throws InterruptedException {
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

	private void nack(Message message, Channel channel, String why) throws IOException {
		logger.warn("Messaging could not settle message " + message.getMessageProperties().getMessageId() + " of "
				+ this.queues.queue() + "; " + why);
		if (!channel.isOpen()) {
			// The broker gives it back itself.
			return;
		}
		channel.basicNack(message.getMessageProperties().getDeliveryTag(), false, true);
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
	 */
	record Settings(MessagingListener listener, int deliveryLimit, Backoff backoff, Runnable redeclare) {

	}

	private record Copy(String queue, Message message, String what) {

	}

}
