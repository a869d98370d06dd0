package io.attach.messaging;

import io.attach.outbox.OutboxDelivery;
import io.attach.outbox.OutboxItem;
import io.attach.outbox.RejectedItemException;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Delivers the outbox's messages to RabbitMQ's topic exchange, the topic as routing key: each persistent and
 * mandatory, each sent only once the broker acked it and did not return it.
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

	RabbitDelivery(ConnectionFactory connectionFactory, RabbitConfirmedSender sender, String exchange) {
		this.connectionFactory = connectionFactory;
		this.sender = sender;
		this.exchange = exchange;
	}

	@Override
	public Connection connect() throws Exception {
		// Fails the round at once when the broker is down, rather than item by item; publishes have their own.
		ConnectionFactory publishing = this.connectionFactory.getPublisherConnectionFactory();
		((publishing != null) ? publishing : this.connectionFactory).createConnection().close();
		return new Connection() {

			@Override
			public void deliver(OutboxItem item) throws Exception {
				RabbitDelivery.this.deliver(item);
			}

			@Override
			public void close() {
				// The connection is the factory's, shared by every round and the consumers.
			}

		};
	}

	private void deliver(OutboxItem item) throws Exception {
		String topic = item.message().headers().get(MessageBroker.TOPIC_HEADER);
		if (topic == null) {
			throw new RejectedItemException("Message " + item.id() + " has no topic", true,
					new IllegalArgumentException("missing " + MessageBroker.TOPIC_HEADER));
		}
		try {
			this.sender.send(this.exchange, topic, RabbitMessages.outgoing(item.message()), topic);
		}
		catch (RabbitConfirmedSender.ReturnedException ex) {
			throw new RejectedItemException(String.valueOf(ex.getMessage()), false, ex);
		}
	}

}
