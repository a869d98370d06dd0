package io.attach.amqp;

import io.attach.core.AttachedResource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says at startup when a Spring AMQP {@link ConnectionFactory} of the user's takes the place of Boot's, which is the
 * only one built from {@code AMQP_URL}, in the words of {@link io.attach.core.ConnectionDetailsPrecedenceLogger}.
 *
 * @author attach
 */
final class ConnectionFactoryPrecedenceLogger implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ConnectionFactoryPrecedenceLogger.class);

	private final AttachedResource resource;

	private final ObjectProvider<ConnectionFactory> connectionFactories;

	private final ObjectProvider<AmqpUrlConnectionDetails> details;

	private final AmqpConnectionFactoryCustomizer customizer;

	ConnectionFactoryPrecedenceLogger(AttachedResource resource, ObjectProvider<ConnectionFactory> connectionFactories,
			ObjectProvider<AmqpUrlConnectionDetails> details, AmqpConnectionFactoryCustomizer customizer) {
		this.resource = resource;
		this.connectionFactories = connectionFactories;
		this.details = details;
		this.customizer = customizer;
	}

	@Override
	public void afterSingletonsInstantiated() {
		ConnectionFactory connectionFactory = this.connectionFactories.getIfUnique();
		// Where the user's RabbitConnectionDetails won, ConnectionDetailsPrecedenceLogger has said so already.
		if (connectionFactory == null || this.details.getIfAvailable() == null) {
			return;
		}
		boolean boots = connectionFactory instanceof AbstractConnectionFactory factory
				&& this.customizer.customized(factory.getRabbitConnectionFactory());
		if (!boots) {
			logger.info(this.resource.setting() + " is set, but the " + connectionFactory.getClass().getName()
					+ " bean takes precedence: " + this.resource.name() + " does not use " + this.resource.setting());
		}
	}

}
