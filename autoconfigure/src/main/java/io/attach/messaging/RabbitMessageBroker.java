package io.attach.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.attach.core.Timeouts;
import io.attach.outbox.Backoff;
import io.attach.outbox.OutboxDelivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;

/**
 * The RabbitMQ backend of messaging: publishes through a topic exchange with confirms, consumes each group's quorum
 * queue with manual acknowledgements, and keeps failed consumptions in parked queues.
 * <p>
 * It owns its connection factory, set up for correlated confirms and returns, and closes it when it is destroyed.
 * Starting a consumer never waits for the broker: its queues are declared at once only when a connection is open,
 * else by the next connection, and its container starts on a thread of its own, so an unreachable broker delays no
 * application's startup.
 *
 * @author attach
 */
final class RabbitMessageBroker implements MessageBroker, DisposableBean {

	private static final Log logger = LogFactory.getLog(RabbitMessageBroker.class);

	// Publishing a copy the broker did not take again: soon, then no more often than every 30 seconds.
	private static final Backoff COPY_BACKOFF = new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(30));

	private final CachingConnectionFactory connectionFactory;

	private final RabbitMessagingProperties properties;

	private final RabbitTopology topology;

	private final RabbitConfirmedSender sender;

	private final RabbitDelivery delivery;

	private final RabbitParkedQueues parked;

	private final MessagingListener listener;

	private final Duration shutdownTimeout;

	private final Set<Connection> open = ConcurrentHashMap.newKeySet();

	private final Set<RabbitSubscriptionConsumer> consumers = ConcurrentHashMap.newKeySet();

	private final ExecutorService starter;

	RabbitMessageBroker(CachingConnectionFactory connectionFactory, RabbitMessagingProperties properties,
			RabbitTopology topology, RabbitMetrics metrics) {
		this(connectionFactory, properties, topology, metrics, MessagingListener.NONE, Duration.ofSeconds(5));
	}

	/**
	 * Creates the broker.
	 * @param connectionFactory messaging's own connection factory
	 * @param properties the properties
	 * @param topology the topology, declared on every new connection
	 * @param metrics counts the broker's answers to publishes
	 * @param listener told broker redeliveries and the delivery limit's parks
	 * @param shutdownTimeout how long a stopping consumer waits for the message it handles
	 */
	RabbitMessageBroker(CachingConnectionFactory connectionFactory, RabbitMessagingProperties properties,
			RabbitTopology topology, RabbitMetrics metrics, MessagingListener listener, Duration shutdownTimeout) {
		this.connectionFactory = connectionFactory;
		this.properties = properties;
		this.topology = topology;
		this.listener = listener;
		this.shutdownTimeout = shutdownTimeout;
		// Before the topology's: a subscription added while a connection is being made is declared by one of them.
		connectionFactory.addConnectionListener(new OpenConnections());
		connectionFactory.addConnectionListener(topology);
		RabbitTemplate template = new RabbitTemplate(connectionFactory);
		template.setMandatory(true);
		// Publishing on a connection of its own: flow control that blocks publishers never stalls the consumers.
		template.setUsePublisherConnection(true);
		// Returns are read from each message's CorrelationData; this only keeps the template from warning.
		template.setReturnsCallback((returned) -> {
		});
		this.sender = new RabbitConfirmedSender(template, properties.getConfirmTimeout(), metrics);
		this.delivery = new RabbitDelivery(connectionFactory, this.sender, topology.exchange(),
				properties.getPublishWindow());
		this.parked = new RabbitParkedQueues(connectionFactory, topology, this.sender);
		AtomicInteger threads = new AtomicInteger();
		this.starter = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "attach-messaging-start-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	RabbitTopology topology() {
		return this.topology;
	}

	CachingConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	@Override
	public OutboxDelivery delivery() {
		return this.delivery;
	}

	@Override
	public Consumer consume(String topic, String group, Dispatch dispatch) {
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.properties.getQueuePrefix(), topic, group,
				this.properties.getRetryTiers());
		this.topology.add(queues);
		if (!this.open.isEmpty()) {
			// No new connection will come to declare them, and the broker answers.
			declare(queues);
		}
		RabbitConsumer consumer = new RabbitConsumer(queues, dispatch, this.sender,
				new RabbitConsumer.Settings(this.listener, this.properties.getDeliveryLimit(), COPY_BACKOFF,
						() -> declare(queues)));
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
		container.setQueueNames(queues.queue());
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		container.setPrefetchCount(this.properties.getPrefetch());
		container.setConcurrentConsumers(this.properties.getConcurrency());
		int batchSize = Math.min(this.properties.getBatchSize(), this.properties.getPrefetch());
		if (batchSize > 1 && dispatch.batches()) {
			// Hands the consumer what has arrived together, waiting a little for more, so that the inbox commits
			// once per batch; the wait is also how often an idle consumer polls, and bounds how long a batch fills.
			long wait = Timeouts.millis(this.properties.getBatchWait());
			container.setConsumerBatchEnabled(true);
			container.setBatchSize(batchSize);
			container.setReceiveTimeout(wait);
			container.setBatchReceiveTimeout(wait);
		}
		// A queue missing now is declared on the next connection: keep trying rather than give up for good.
		container.setMissingQueuesFatal(false);
		// A connection cut during the handshake looks like refused credentials to the client: keep trying too.
		container.setPossibleAuthenticationFailureFatal(false);
		container.setShutdownTimeout(this.shutdownTimeout.toMillis());
		container.setMessageListener(consumer);
		container.afterPropertiesSet();
		RabbitSubscriptionConsumer started = new RabbitSubscriptionConsumer(queues, container, consumer);
		this.consumers.add(started);
		started.start();
		return started;
	}

	private void declare(RabbitGroupQueues queues) {
		if (this.topology.isClosed()) {
			return;
		}
		try {
			Connection connection = this.connectionFactory.createConnection();
			try (Channel channel = connection.createChannel(false)) {
				this.topology.declare(channel, queues);
			}
		}
		catch (Exception ex) {
			// Reported by the health check while missing, even when this failed before reaching the broker.
			this.topology.tried(queues);
			logger.warn("Messaging could not declare the queues of " + queues.queue()
					+ " now; they are declared on the next connection to RabbitMQ: " + ex.getMessage());
		}
	}

	@Override
	public List<ParkedMessage> parked(int limit) {
		return this.parked.list(limit);
	}

	@Override
	public boolean requeue(String group, String id) {
		return requeue(group, null, id);
	}

	@Override
	public boolean requeue(String group, @Nullable String topic, String id) {
		return this.parked.requeue(group, topic, id);
	}

	@Override
	public boolean discard(String group, String id) {
		return discard(group, null, id);
	}

	@Override
	public boolean discard(String group, @Nullable String topic, String id) {
		return this.parked.discard(group, topic, id);
	}

	@Override
	public int requeueAll(String group) {
		return this.parked.requeueAll(group);
	}

	@Override
	public void destroy() {
		this.topology.close();
		for (RabbitSubscriptionConsumer consumer : this.consumers) {
			consumer.close();
		}
		this.starter.shutdownNow();
		this.connectionFactory.destroy();
	}

	/**
	 * Keeps the connections that are open, of either of the factory's connections.
	 */
	private final class OpenConnections implements ConnectionListener {

		@Override
		public void onCreate(@Nullable Connection connection) {
			if (connection != null) {
				RabbitMessageBroker.this.open.add(connection);
			}
		}

		@Override
		public void onClose(Connection connection) {
			RabbitMessageBroker.this.open.remove(connection);
		}

		@Override
		public void onShutDown(ShutdownSignalException signal) {
			RabbitMessageBroker.this.open.removeIf((connection) -> !connection.isOpen());
		}

	}

	/**
	 * One subscription's container, started on a thread of its own.
	 */
	private final class RabbitSubscriptionConsumer implements Consumer {

		private final RabbitGroupQueues queues;

		private final SimpleMessageListenerContainer container;

		private final RabbitConsumer consumer;

		private boolean closed;

		RabbitSubscriptionConsumer(RabbitGroupQueues queues, SimpleMessageListenerContainer container,
				RabbitConsumer consumer) {
			this.queues = queues;
			this.container = container;
			this.consumer = consumer;
		}

		void start() {
			try {
				RabbitMessageBroker.this.starter.execute(this::startNow);
			}
			catch (RejectedExecutionException ex) {
				logger.warn("Messaging is shut down: the consumer of " + this.queues.queue() + " does not start");
			}
		}

		// Waits for the first connection (or its timeouts, when the broker does not answer): never on the caller.
		private synchronized void startNow() {
			if (this.closed) {
				return;
			}
			try {
				this.container.start();
			}
			catch (RuntimeException ex) {
				logger.error("Messaging could not start the consumer of " + this.queues.queue(), ex);
			}
		}

		@Override
		public boolean isConsuming() {
			return this.container.isRunning();
		}

		@Override
		public void close() {
			// Before waiting for the start: a consumer publishing a copy again lets go of its message.
			this.consumer.stop();
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
			}
			RabbitMessageBroker.this.consumers.remove(this);
			this.container.stop();
			this.container.destroy();
		}

	}

}
