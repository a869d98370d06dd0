package io.attach.messaging;

import io.attach.core.Backends;
import io.attach.core.ConditionalOnBackend;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Configuration of the in-process backend of messaging, chosen when no broker is attached or by
 * {@code MESSAGING_BACKEND=in-process}.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(resource = MessagingBackends.RESOURCE, value = MessagingBackends.IN_PROCESS)
class InProcessMessagingConfiguration {

	private static final Log logger = LogFactory.getLog(InProcessMessagingConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(MessageBroker.class)
	InProcessMessageBroker inProcessMessageBroker(Environment environment) {
		ResourceKind kind = ResourceKinds.named(MessagingBackends.RESOURCE).orElseThrow();
		if (Backends.isIntended(environment, kind)) {
			return new InProcessMessageBroker(() -> {
			});
		}
		// Right in development; in production, other applications would never see these messages. Said when messaging
		// is first used, not to every application that has Jackson.
		return new InProcessMessageBroker(() -> logger.warn("No AMQP_URL: messages are delivered only to this"
				+ " application's own subscribers, and their retries and parked messages are kept in memory. Set AMQP_URL"
				+ " to use RabbitMQ, or MESSAGING_BACKEND=in-process to keep this without the warning."));
	}

}
