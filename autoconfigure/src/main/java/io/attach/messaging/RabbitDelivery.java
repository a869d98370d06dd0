package io.attach.messaging;

import io.attach.outbox.OutboxDelivery;
import io.attach.outbox.OutboxItem;
import io.attach.outbox.RejectedItemException;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Delivers the outbox's messages to RabbitMQ's topic exchange, the topic as routing key: each persistent and
 * mandatory, each sent only once the broker acked it and did not return it.
 * <p>
 * Up to {@code attach.messaging.rabbit.publish-window} messages are published before the first confirm is awaited,
 * so that the broker writes them to disk together; the relay awaits the confirms in order and settles each.
 * <p>
 * A nack, a confirm that does not come in time or a lost connection is a failure of the broker: the relay keeps the
 * message, backs off and tells the breaker. A return means the broker works but no group's queue is bound to the
 * topic yet: the message stays queued and is retried on its own backoff, without holding up the others.
 *
 * @author attach
 */
final class RabbitDelivery implements OutboxDelivery {

	private final ConnectionFactory connectionFactory;

	private final RabbitConfirmedSender sender;

	private final String exchange;

	private final int window;

	RabbitDelivery(ConnectionFactory connectionFactory, RabbitConfirmedSender sender, String exchange, int window) {
		this.connectionFactory = connectionFactory;
		this.sender = sender;
		this.exchange = exchange;
		this.window = Math.max(1, window);
	}

	@Override
	public Connection connect() throws Exception {
		// Fails the round at once when the broker is down, rather than item by item; publishes have their own.
		ConnectionFactory publishing = this.connectionFactory.getPublisherConnectionFactory();
		((publishing != null) ? publishing : this.connectionFactory).createConnection().close();
		return new Connection() {

			@Override
			public void deliver(OutboxItem item) throws Exception {
				send(item).await();
			}

			@Override
			public Sent send(OutboxItem item) throws Exception {
				return RabbitDelivery.this.send(item);
			}

			@Override
			public int window() {
				return RabbitDelivery.this.window;
			}

			@Override
			public void close() {
				// The connection is the factory's, shared by every round and the consumers.
			}

		};
	}

	private Sent send(OutboxItem item) throws RejectedItemException {
		String topic = item.message().headers().get(MessageBroker.TOPIC_HEADER);
		if (topic == null) {
			throw new RejectedItemException("Message " + item.id() + " has no topic", true,
					new IllegalArgumentException("missing " + MessageBroker.TOPIC_HEADER));
		}
		RabbitConfirmedSender.Pending pending = this.sender.publish(this.exchange, topic,
				RabbitMessages.outgoing(item.message()), topic);
		return () -> {
			try {
				pending.await();
			}
			catch (RabbitConfirmedSender.ReturnedException ex) {
				throw new RejectedItemException(String.valueOf(ex.getMessage()), false, ex);
			}
		};
	}

}
