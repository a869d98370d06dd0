package io.attach.messaging;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import com.rabbitmq.client.Channel;
import io.attach.amqp.AttachAmqpProperties;
import io.attach.core.ConditionalOnBackend;
import io.attach.core.Timeouts;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configuration of the RabbitMQ backend of messaging, chosen when {@code AMQP_URL} is attached.
 * <p>
 * Messaging connects through a connection factory of its own, built on the application's: the same broker, the same
 * credentials, TLS and timeouts, but always with correlated confirms and returns, without changing how the
 * application's own {@code RabbitTemplate} publishes, and on connections of its own, named {@code attach-messaging}.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ RabbitTemplate.class, Channel.class, RabbitConnectionDetails.class })
@ConditionalOnBackend(resource = MessagingBackends.RESOURCE, value = MessagingBackends.RABBIT)
@EnableConfigurationProperties(RabbitMessagingProperties.class)
class RabbitMessagingConfiguration {

	@Bean
	RabbitTopology rabbitMessagingTopology(RabbitMessagingProperties properties) {
		return new RabbitTopology(properties.getExchange(), properties.getDeliveryLimit());
	}

	@Bean
	RabbitMessageBroker rabbitMessageBroker(ObjectProvider<ConnectionFactory> connectionFactory,
			ObjectProvider<RabbitConnectionDetails> connectionDetails, RabbitMessagingProperties properties,
			RabbitTopology rabbitMessagingTopology, ListableBeanFactory beanFactory,
			ObjectProvider<AttachAmqpProperties> amqpProperties, ObjectProvider<MessagingListener> listener) {
		if (!(connectionFactory.getIfUnique() instanceof AbstractConnectionFactory application)) {
			throw new IllegalStateException("Messaging on RabbitMQ needs one Spring AMQP ConnectionFactory, such as"
					+ " the CachingConnectionFactory Spring Boot configures from AMQP_URL");
		}
		RabbitConnectionDetails details = connectionDetails.getIfAvailable();
		List<String> addresses = (details != null) ? details.getAddresses()
			.stream()
			.map((address) -> address.host() + ":" + address.port())
			.toList() : List.of();
		// Not a bean, so attach.amqp's close timeout is not applied to it: set here, as for Boot's factory.
		Duration shutdownTimeout = amqpProperties.getIfAvailable(AttachAmqpProperties::new).getShutdownTimeout();
		CachingConnectionFactory factory = connectionFactory(application.getRabbitConnectionFactory(), addresses);
		factory.setCloseTimeout(Timeouts.millis(shutdownTimeout));
		return new RabbitMessageBroker(factory, properties, rabbitMessagingTopology, RabbitMetrics.of(beanFactory),
				listener.getIfAvailable(() -> MessagingListener.NONE), shutdownTimeout);
	}

	/**
	 * Creates messaging's connection factory on the client's factory the application connects with.
	 * @param client the client's factory: host, credentials, TLS, timeouts
	 * @param addresses the cluster's addresses, {@code host:port}, or none to use the client's host
	 * @return a factory with correlated confirms and returns
	 */
	static CachingConnectionFactory connectionFactory(com.rabbitmq.client.ConnectionFactory client,
			List<String> addresses) {
		CachingConnectionFactory factory = new CachingConnectionFactory(client);
		if (addresses.size() > 1) {
			// The client's factory holds the first address only; Spring AMQP's holds the list.
			factory.setAddresses(addresses.stream().collect(Collectors.joining(",")));
		}
		factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		factory.setPublisherReturns(true);
		factory.setConnectionNameStrategy((ignored) -> "attach-messaging");
		return factory;
	}

}
