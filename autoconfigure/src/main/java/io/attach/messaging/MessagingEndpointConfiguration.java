package io.attach.messaging;

import io.attach.outbox.Outbox;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Configuration of the {@link MessagingEndpoint}, imported after the backends so that it sees their broker.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Endpoint.class)
class MessagingEndpointConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MessageBroker.class)
	@ConditionalOnAvailableEndpoint(MessagingEndpoint.class)
	MessagingEndpoint messagingEndpoint(MessagingSubscriptions messagingSubscriptions, MessageBroker broker,
			@Qualifier("messagingOutbox") Outbox messagingOutbox) {
		return new MessagingEndpoint(messagingSubscriptions, broker, messagingOutbox);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MessagingEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB, endpoint = MessagingEndpoint.class)
	MessagingEndpointWebExtension messagingEndpointWebExtension(MessagingEndpoint messagingEndpoint) {
		return new MessagingEndpointWebExtension(messagingEndpoint);
	}

}
