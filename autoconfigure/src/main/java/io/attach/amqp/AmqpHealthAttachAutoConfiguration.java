package io.attach.amqp;

import java.util.List;

import com.rabbitmq.client.Address;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.health.ResourceHealthCheck;
import io.attach.health.ResourceHealthMonitor;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the attached broker's
 * time-bounded health check, which replaces Boot's {@code rabbit} check (a channel on the application's shared
 * connection) and follows its {@code management.health.rabbit.enabled}.
 *
 * @author attach
 */
@AutoConfiguration(
		after = { AmqpAttachAutoConfiguration.class, RabbitAutoConfiguration.class,
				HealthAttachAutoConfiguration.class },
		beforeName = "org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, AbstractConnectionFactory.class, RabbitConnectionDetails.class })
@ConditionalOnAttachedResource(AmqpResourceKind.RESOURCE)
@ResourceHealthCheck(AmqpResourceKind.RESOURCE)
@ConditionalOnBean({ ConnectionFactory.class, ResourceHealthMonitor.class })
public final class AmqpHealthAttachAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "messagingHealthContributor")
	MonitoredHealthIndicator messagingHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources,
			ConnectionFactory connectionFactory, ObjectProvider<RabbitConnectionDetails> details,
			ObjectProvider<AmqpConnectionFactoryCustomizer> customizer, ObjectProvider<AmqpTopology> topologies) {
		AmqpCheck check = new AmqpCheck(connector(connectionFactory, details.getIfUnique(), customizer.getIfAvailable()),
				connectionFactory.getVirtualHost(), () -> topologies.orderedStream().toList());
		return monitor.monitor(resources.get(AmqpResourceKind.RESOURCE).orElseThrow(), check);
	}

	private static AmqpCheck.Connector connector(ConnectionFactory connectionFactory,
			@Nullable RabbitConnectionDetails details, @Nullable AmqpConnectionFactoryCustomizer customizer) {
		if (connectionFactory instanceof AbstractConnectionFactory factory && details != null && customizer != null
				&& customizer.customized(factory.getRabbitConnectionFactory())) {
			// Boot's factory, built from the details: a connection of the check's own, to any of their brokers.
			List<Address> addresses = details.getAddresses()
				.stream()
				.map((address) -> new Address(address.host(), address.port()))
				.toList();
			return AmqpCheck.shortLived(factory.getRabbitConnectionFactory(), addresses);
		}
		// A factory of the user's, whose brokers only it knows: a channel on its shared connection, as Boot checks.
		return new AmqpCheck.Connector() {

			@Override
			public com.rabbitmq.client.Connection open() {
				return connectionFactory.createConnection().getDelegate();
			}

			@Override
			public void release(com.rabbitmq.client.Connection connection) {
				// Shared with the application: left open.
			}

		};
	}

}
