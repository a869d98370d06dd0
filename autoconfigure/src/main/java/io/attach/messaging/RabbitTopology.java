package io.attach.messaging;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import io.attach.amqp.AmqpTopology;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Messaging's exchange and the queues of every subscription on RabbitMQ: declared when a subscription starts and on
 * every new connection (so a broker that lost them gets them back), and checked passively by the health check.
 * <p>
 * A group's queue is a quorum queue with an explicit delivery limit whose dead letters go to the parked queue, so a
 * message that keeps failing is parked, never dropped. Each retry tier holds every message for the tier's TTL (a
 * queue's TTL, so the message at its head is always the first to expire) and then dead-letters it back to the group's
 * queue. Both dead-letter at least once. The parked queue is a classic queue:
 * browsing it returns messages unacknowledged, which must not count toward any delivery limit.
 *
 * @author attach
 */
final class RabbitTopology implements AmqpTopology, ConnectionListener {

	private static final Log logger = LogFactory.getLog(RabbitTopology.class);

	private final String exchange;

	private final int deliveryLimit;

	private final Set<RabbitGroupQueues> subscriptions = ConcurrentHashMap.newKeySet();

	// What a declaration was tried for, on any connection: only that can be missing. A subscription's queues are
	// declared by its consumer's first connection, made after startup without holding it up, and a check between the
	// two would report them missing for the second it takes.
	private final Set<RabbitGroupQueues> declaredOnce = ConcurrentHashMap.newKeySet();

	private volatile boolean exchangeDeclaredOnce;

	private volatile boolean closed;

	RabbitTopology(String exchange, int deliveryLimit) {
		this.exchange = exchange;
		this.deliveryLimit = deliveryLimit;
	}

	String exchange() {
		return this.exchange;
	}

	/**
	 * Adds a subscription's queues to what is declared on every new connection and checked by the health check.
	 * @param queues the queues
	 */
	void add(RabbitGroupQueues queues) {
		this.subscriptions.add(queues);
	}

	Collection<RabbitGroupQueues> subscriptions() {
		return List.copyOf(this.subscriptions);
	}

	/**
	 * Stops declaring on new connections, once messaging is shut down: a consumer thread that outlived its
	 * container's shutdown timeout must not declare queues an application or a test is deleting.
	 */
	void close() {
		this.closed = true;
	}

	boolean isClosed() {
		return this.closed;
	}

	@Override
	public void onCreate(@Nullable Connection connection) {
		if (connection == null || this.closed) {
			return;
		}
		// Declared before any consumer of this connection subscribes: the listener runs as the connection is made.
		declareQuietly(connection, null);
		this.subscriptions.forEach((queues) -> declareQuietly(connection, queues));
	}

	private void declareQuietly(Connection connection, @Nullable RabbitGroupQueues queues) {
		try (Channel channel = connection.createChannel(false)) {
			if (queues == null) {
				declareExchange(channel);
			}
			else {
				declare(channel, queues);
			}
		}
		catch (Exception ex) {
			tried(queues);
			String what = (queues != null) ? "the queues of " + queues.queue() : "the exchange " + this.exchange;
			logger.error("Messaging could not declare " + what + " on RabbitMQ; its health check reports it", ex);
		}
	}

	void declareExchange(Channel channel) throws IOException {
		try {
			channel.exchangeDeclare(this.exchange, "topic", true);
		}
		finally {
			tried(null);
		}
	}

	/**
	 * Declares the exchange and a subscription's queues and binding; declaring what exists changes nothing.
	 * @param channel the channel
	 * @param queues the queues
	 * @throws IOException if the broker refused, such as for a queue declared with other arguments
	 */
	void declare(Channel channel, RabbitGroupQueues queues) throws IOException {
		try {
			declareQueues(channel, queues);
		}
		finally {
			// After the declarations: a check while they run must not find the queues missing.
			tried(queues);
		}
	}

	/**
	 * Records that declaring a subscription's queues (or the exchange, for {@code null}) was tried, even if it failed
	 * before reaching the broker: from now on the health check reports them when they are missing.
	 * @param queues the subscription's queues, or {@code null} for the exchange alone
	 */
	void tried(@Nullable RabbitGroupQueues queues) {
		if (queues == null) {
			this.exchangeDeclaredOnce = true;
		}
		else {
			this.declaredOnce.add(queues);
		}
	}

	private void declareQueues(Channel channel, RabbitGroupQueues queues) throws IOException {
		declareExchange(channel);
		channel.queueDeclare(queues.parked(), true, false, false, Map.of("x-queue-type", "classic"));
		channel.queueDeclare(queues.queue(), true, false, false,
				Map.of("x-queue-type", "quorum", "x-delivery-limit", this.deliveryLimit, "x-dead-letter-exchange", "",
						"x-dead-letter-routing-key", queues.parked(), "x-dead-letter-strategy", "at-least-once",
						"x-overflow", "reject-publish"));
		for (RabbitGroupQueues.Tier tier : queues.retries()) {
			channel.queueDeclare(tier.queue(), true, false, false,
					Map.of("x-queue-type", "quorum", "x-message-ttl", tier.delay().toMillis(), "x-dead-letter-exchange",
							"", "x-dead-letter-routing-key", queues.queue(), "x-dead-letter-strategy", "at-least-once",
							"x-overflow", "reject-publish"));
		}
		channel.queueBind(queues.queue(), this.exchange, queues.topic());
	}

	/**
	 * Checks that what messaging has declared at least once is still on the broker: a subscription whose first
	 * connection is still being made is not missing yet.
	 * @param channel a channel of the health check's own connection
	 * @throws IOException naming the first exchange or queue missing
	 */
	@Override
	public void verify(Channel channel) throws IOException {
		if (this.exchangeDeclaredOnce) {
			check("exchange", this.exchange, () -> channel.exchangeDeclarePassive(this.exchange));
		}
		for (RabbitGroupQueues queues : this.declaredOnce) {
			for (String queue : queues.all()) {
				check("queue", queue, () -> channel.queueDeclarePassive(queue));
			}
		}
	}

	private static void check(String what, String name, Declaration declaration) throws IOException {
		try {
			declaration.run();
		}
		catch (IOException ex) {
			throw new IOException("Messaging's " + what + " '" + name + "' is missing on the broker", ex);
		}
	}

	@FunctionalInterface
	private interface Declaration {

		void run() throws IOException;

	}

}
