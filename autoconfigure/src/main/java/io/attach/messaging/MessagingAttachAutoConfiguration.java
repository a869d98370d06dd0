package io.attach.messaging;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResources;
import io.attach.outbox.Outbox;
import io.attach.outbox.OutboxAttachAutoConfiguration;
import io.attach.outbox.Outboxes;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of messaging: a
 * {@link MessagePublisher} that stores messages in the {@code messaging} outbox, {@link Subscriptions} and
 * {@link Subscribe @Subscribe} methods consuming through the chosen backend (RabbitMQ when {@code AMQP_URL} is
 * attached, in-process when not), and, with a database, the inbox that drops redelivered messages.
 * <p>
 * Each backend's configuration declares the {@link MessageBroker}; the beans here exist only when one did.
 *
 * @author attach
 */
@AutoConfiguration(after = { AttachAutoConfiguration.class, OutboxAttachAutoConfiguration.class,
		ResilienceAttachAutoConfiguration.class },
		afterName = { "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
				"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
				"org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration" })
@ConditionalOnClass(JsonMapper.class)
@EnableConfigurationProperties(AttachMessagingProperties.class)
@Import({ InProcessMessagingConfiguration.class, RabbitMessagingConfiguration.class, InboxConfiguration.class,
		MessagingEndpointConfiguration.class })
public final class MessagingAttachAutoConfiguration {

	// Imported configurations are read before these methods: a backend's broker is known by then.
	@Bean
	@ConditionalOnBean(MessageBroker.class)
	Outbox messagingOutbox(Outboxes outboxes, MessageBroker broker, AttachedResources resources) {
		if (broker instanceof InProcessMessageBroker) {
			// The in-process backend talks to no server: no breaker, no health check to wake on. Every application
			// with Jackson has it, few use it: its relay starts with the first message or subscription.
			return outboxes.createOnDemand(MessagingBackends.RESOURCE, broker.delivery());
		}
		return resources.get(MessagingBackends.RESOURCE)
			.map((resource) -> outboxes.create(resource, broker.delivery()))
			.orElseGet(() -> outboxes.create(MessagingBackends.RESOURCE, broker.delivery()));
	}

	@Bean
	@ConditionalOnBean(MessageBroker.class)
	@ConditionalOnMissingBean(MessagePublisher.class)
	OutboxMessagePublisher messagePublisher(@Qualifier("messagingOutbox") Outbox messagingOutbox,
			ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<MessagingListener> listener,
			AttachMessagingProperties properties) {
		return new OutboxMessagePublisher(messagingOutbox, mapper(jsonMapper),
				listener.getIfAvailable(() -> MessagingListener.NONE), properties.getMaxPayloadSize());
	}

	@Bean
	@ConditionalOnBean(MessageBroker.class)
	MessagingSubscriptions messagingSubscriptions(MessageBroker broker,
			@Qualifier("messagingOutbox") Outbox messagingOutbox, ObjectProvider<JsonMapper> jsonMapper,
			ObjectProvider<Inbox> inbox, ObjectProvider<MessagingListener> listener,
			AttachMessagingProperties properties) {
		return new MessagingSubscriptions(broker,
				() -> DispatchSettings.create(broker, inbox.getIfAvailable(), properties.getInbox().isEnabled(),
						mapper(jsonMapper), properties.getRetry().toBackoff(), properties.getMaxAttempts(),
						listener.getIfAvailable(() -> MessagingListener.NONE)),
				messagingOutbox::startOnDemand);
	}

	@Bean
	static SubscribeMethodProcessor subscribeMethodProcessor(ObjectProvider<MessagingSubscriptions> subscriptions,
			Environment environment) {
		return new SubscribeMethodProcessor(subscriptions, environment);
	}

	private static JsonMapper mapper(ObjectProvider<JsonMapper> jsonMapper) {
		// Boot's mapper carries the application's modules and settings; without Boot's Jackson, a plain one.
		return jsonMapper.getIfAvailable(JsonMapper::new);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		// Resolved when first injected, not by a bean condition: Boot's registry is defined by an auto-configuration
		// that may come after this one, and a condition on it would leave every messaging counter unregistered.
		@Bean
		MessagingListener messagingMetrics(ObjectProvider<MeterRegistry> registry) {
			MeterRegistry available = registry.getIfAvailable();
			return (available != null) ? new MessagingMetrics(available) : MessagingListener.NONE;
		}

	}

}
