package io.attach.messaging;

import java.nio.file.Path;

import io.attach.amqp.AmqpAttachAutoConfiguration;
import io.attach.amqp.AmqpTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RabbitMessagingConfiguration}.
 *
 * @author attach
 */
class RabbitMessagingConfigurationTests {

	@TempDir
	Path spool;

	@Test
	void whenRabbitIsChosenThenItsBrokerAndTopologyAreBeansAndTheApplicationsFactoryIsUnchanged() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
			.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:5672", "MESSAGING_BACKEND=rabbit",
					"attach.messaging.rabbit.exchange=orders", "attach.messaging.rabbit.delivery-limit=4")
			.run((context) -> {
				assertThat(context).hasSingleBean(RabbitMessageBroker.class);
				assertThat(context).getBean(MessageBroker.class).isInstanceOf(RabbitMessageBroker.class);
				assertThat(context).getBean(AmqpTopology.class).isInstanceOf(RabbitTopology.class);
				assertThat(context.getBean(RabbitTopology.class).exchange()).isEqualTo("orders");
				CachingConnectionFactory application = context.getBean(CachingConnectionFactory.class);
				assertThat(application.isPublisherConfirms()).isFalse();
				assertThat(application.isPublisherReturns()).isFalse();
			});
	}

	@Test
	void messagingConnectionFactoryClosesWithinTheShutdownTimeout() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withConfiguration(AutoConfigurations.of(AmqpAttachAutoConfiguration.class, RabbitAutoConfiguration.class))
			.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:5672", "MESSAGING_BACKEND=rabbit",
					"attach.amqp.shutdown-timeout=2s")
			.run((context) -> {
				CachingConnectionFactory messaging = context.getBean(RabbitMessageBroker.class).connectionFactory();
				assertThat(messaging.getCloseTimeout()).isEqualTo(2000);
				assertThat(messaging.getPublisherConnectionFactory()).isInstanceOfSatisfying(
						CachingConnectionFactory.class, (publisher) -> assertThat(publisher.getCloseTimeout())
							.isEqualTo(2000));
			});
	}

	@Test
	void messagingConnectionFactoryHasCorrelatedConfirmsAndReturns() {
		CachingConnectionFactory factory = RabbitMessagingConfiguration
			.connectionFactory(new com.rabbitmq.client.ConnectionFactory(), java.util.List.of("a:5672", "b:5673"));
		try {
			assertThat(factory.isPublisherConfirms()).isTrue();
			assertThat(factory.isSimplePublisherConfirms()).isFalse();
			assertThat(factory.isPublisherReturns()).isTrue();
			assertThat(factory.getPublisherConnectionFactory().isPublisherConfirms()).isTrue();
			assertThat(factory.getPublisherConnectionFactory().isPublisherReturns()).isTrue();
		}
		finally {
			factory.destroy();
		}
	}

	@Test
	void whenTheApplicationHasNoConnectionFactoryThenStartupFailsSayingSo() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:5672", "MESSAGING_BACKEND=rabbit")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Messaging on RabbitMQ needs one Spring AMQP ConnectionFactory"));
	}

	@Test
	void whenInProcessIsChosenThenNoRabbitBeans() {
		MessagingTestRunners.withoutDatabase(this.spool)
			.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
			.withPropertyValues("MESSAGING_BACKEND=in-process")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RabbitMessageBroker.class);
				assertThat(context).doesNotHaveBean(RabbitTopology.class);
			});
	}

}
