package io.attach.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.ReturnedMessage;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Publishes a persistent, mandatory message and waits a bounded time for the broker's correlated confirm: only an ack
 * for a message that was not returned counts as sent. Counts confirmed, returned and nacked messages per topic.
 *
 * @author attach
 */
final class RabbitConfirmedSender {

	private final RabbitTemplate template;

	private final Duration timeout;

	private final RabbitMetrics metrics;

	RabbitConfirmedSender(RabbitTemplate template, Duration timeout, RabbitMetrics metrics) {
		this.template = template;
		this.timeout = timeout;
		this.metrics = metrics;
	}

	/**
	 * Sends a message and waits for its confirm.
	 * @param exchange the exchange, empty for the default one
	 * @param routingKey the routing key
	 * @param message the message, persistent
	 * @param topic the topic it belongs to, for the metrics
	 * @throws ReturnedException if the broker routed it to no queue
	 * @throws IOException if the broker nacked it, did not confirm it in time or the connection was lost
	 */
	void send(String exchange, String routingKey, Message message, String topic) throws IOException {
		publish(exchange, routingKey, message, topic).await();
	}

	/**
	 * Sends a message without waiting for its confirm, so that the broker can confirm several at once.
	 * @param exchange the exchange, empty for the default one
	 * @param routingKey the routing key
	 * @param message the message, persistent
	 * @param topic the topic it belongs to, for the metrics
	 * @return the confirm to await, within the timeout from now
	 */
	Pending publish(String exchange, String routingKey, Message message, String topic) {
		// A correlation id of its own: two instances may relay the same message id at once.
		CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
		// The timeout runs from the send, so that awaiting a window of confirms in turn takes no longer than one.
		long deadline = System.nanoTime() + this.timeout.toNanos();
		this.template.send(exchange, routingKey, message, correlation);
		return () -> settle(correlation, deadline, exchange, routingKey, message, topic);
	}

	private void settle(CorrelationData correlation, long deadline, String exchange, String routingKey,
			Message message, String topic) throws IOException {
		CorrelationData.Confirm confirm = await(correlation, deadline, message, topic);
		ReturnedMessage returned = correlation.getReturned();
		if (returned != null) {
			count("attach.messaging.returned", topic);
			throw new ReturnedException("RabbitMQ returned message " + message.getMessageProperties().getMessageId()
					+ ": no queue is bound to '" + routingKey + "'" + (exchange.isEmpty() ? "" : " on " + exchange)
					+ " (" + returned.getReplyText() + ")");
		}
		if (!confirm.ack()) {
			count("attach.messaging.nacked", topic);
			throw new IOException("RabbitMQ did not accept message " + message.getMessageProperties().getMessageId()
					+ ": " + confirm.reason());
		}
		count("attach.messaging.confirmed", topic);
	}

	private CorrelationData.Confirm await(CorrelationData correlation, long deadline, Message message, String topic)
			throws IOException {
		try {
			return correlation.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			count("attach.messaging.nacked", topic);
			throw new IOException("RabbitMQ did not confirm message " + message.getMessageProperties().getMessageId()
					+ " within " + this.timeout.toMillis() + " ms", ex);
		}
		catch (ExecutionException ex) {
			count("attach.messaging.nacked", topic);
			throw new IOException("RabbitMQ did not confirm message " + message.getMessageProperties().getMessageId(),
					ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while waiting for RabbitMQ's confirm", ex);
		}
	}

	private void count(String name, String topic) {
		this.metrics.count(name, topic);
	}

	/**
	 * A message sent, whose confirm is awaited.
	 */
	@FunctionalInterface
	interface Pending {

		/**
		 * Waits for the confirm, until the timeout from the send.
		 * @throws ReturnedException if the broker routed it to no queue
		 * @throws IOException if the broker nacked it, did not confirm it in time or the connection was lost
		 */
		void await() throws IOException;

	}

	/**
	 * Thrown when the broker returned a mandatory message: it answered, and routed the message to no queue.
	 */
	static final class ReturnedException extends IOException {

		private static final long serialVersionUID = 1L;

		ReturnedException(String message) {
			super(message);
		}

	}

}
