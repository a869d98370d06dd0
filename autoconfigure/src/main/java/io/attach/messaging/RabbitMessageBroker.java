package io.attach.messaging;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import io.attach.outbox.OutboxDelivery;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;

/**
 * The RabbitMQ backend of messaging: publishes through a topic exchange with confirms, consumes each group's quorum
 * queue with manual acknowledgements, and keeps failed consumptions in parked queues.
 * <p>
 * It owns its connection factory, set up for correlated confirms and returns, and closes it when it is destroyed.
 *
 * @author attach
 */
final class RabbitMessageBroker implements MessageBroker, DisposableBean {

	private static final Log logger = LogFactory.getLog(RabbitMessageBroker.class);

	private final CachingConnectionFactory connectionFactory;

	private final RabbitMessagingProperties properties;

	private final RabbitTopology topology;

	private final RabbitConfirmedSender sender;

	private final RabbitDelivery delivery;

	private final RabbitParkedQueues parked;

	private final Set<SimpleMessageListenerContainer> containers = ConcurrentHashMap.newKeySet();

	RabbitMessageBroker(CachingConnectionFactory connectionFactory, RabbitMessagingProperties properties,
			RabbitTopology topology, RabbitMetrics metrics) {
		this.connectionFactory = connectionFactory;
		this.properties = properties;
		this.topology = topology;
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
	}

	RabbitTopology topology() {
		return this.topology;
	}

	@Override
	public OutboxDelivery delivery() {
		return this.delivery;
	}

	@Override
	public AutoCloseable consume(String topic, String group, Dispatch dispatch) {
		RabbitGroupQueues queues = RabbitGroupQueues.of(this.properties.getQueuePrefix(), topic, group);
		this.topology.add(queues);
		declare(queues);
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
		container.setQueueNames(queues.queue());
		container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
		container.setPrefetchCount(this.properties.getPrefetch());
		container.setConcurrentConsumers(this.properties.getConcurrency());
		// A queue missing now is declared on the next connection: keep trying rather than give up for good.
		container.setMissingQueuesFatal(false);
		container.setMessageListener(new RabbitConsumer(queues, dispatch, this.sender));
		container.afterPropertiesSet();
		container.start();
		this.containers.add(container);
		return () -> {
			this.containers.remove(container);
			container.stop();
			container.destroy();
		};
	}

	private void declare(RabbitGroupQueues queues) {
		try {
			Connection connection = this.connectionFactory.createConnection();
			try (Channel channel = connection.createChannel(false)) {
				this.topology.declare(channel, queues);
			}
		}
		catch (Exception ex) {
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
		return this.parked.requeue(group, id);
	}

	@Override
	public boolean discard(String group, String id) {
		return this.parked.discard(group, id);
	}

	@Override
	public void destroy() {
		for (SimpleMessageListenerContainer container : this.containers) {
			container.stop();
			container.destroy();
		}
		this.containers.clear();
		this.connectionFactory.destroy();
	}

}
