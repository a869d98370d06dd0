package io.attach.amqp;

import io.attach.core.Timeouts;

import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Bounds how long closing Boot's connection factory waits for the broker (Spring AMQP waits 30 seconds, which a
 * black-holed broker makes every shutdown take) by {@code attach.amqp.shutdown-timeout}.
 *
 * @author attach
 */
final class CloseTimeoutPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<AmqpConnectionFactoryCustomizer> customizer;

	private final ObjectProvider<AttachAmqpProperties> properties;

	CloseTimeoutPostProcessor(ObjectProvider<AmqpConnectionFactoryCustomizer> customizer,
			ObjectProvider<AttachAmqpProperties> properties) {
		this.customizer = customizer;
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof AbstractConnectionFactory connectionFactory) {
			AmqpConnectionFactoryCustomizer ours = this.customizer.getIfAvailable();
			// Only Boot's factory, built from the connection details; a user's keeps the close timeout it was given.
			if (ours != null && ours.customized(connectionFactory.getRabbitConnectionFactory())) {
				connectionFactory
					.setCloseTimeout(Timeouts.millis(this.properties.getObject().getShutdownTimeout()));
			}
		}
		return bean;
	}

}
