package io.attach.messaging;

import org.springframework.context.annotation.Configuration;

/**
 * Configuration of the RabbitMQ backend of messaging, chosen when {@code AMQP_URL} is attached.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
class RabbitMessagingConfiguration {

}
