package io.attach.messaging;

import java.util.List;
import java.util.stream.Stream;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attach.test.LocalServers;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The messaging conformance suite on the RabbitMQ backend, against the real broker, with an exchange and queues of
 * each test's own, deleted afterwards.
 *
 * @author attach
 */
class RabbitMessagingConformanceIntegrationTests extends MessagingConformanceTests {

	private final String prefix = "conformance-" + this.suffix + ".";

	@Override
	protected ApplicationContextRunner backend(ApplicationContextRunner runner) {
		LocalServers.Server rabbit = LocalServers.RABBITMQ.require();
		return runner.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class))
			.withPropertyValues("AMQP_URL=amqp://guest:guest@" + rabbit.host() + ":" + rabbit.port(),
					"MESSAGING_BACKEND=rabbit", "spring.rabbitmq.host=" + rabbit.host(),
					"spring.rabbitmq.port=" + rabbit.port(), "spring.rabbitmq.username=guest",
					"spring.rabbitmq.password=guest", "attach.messaging.rabbit.exchange=" + this.prefix + "messages",
					"attach.messaging.rabbit.queue-prefix=" + this.prefix);
	}

	@Override
	protected void cleanUp(List<String> topics, List<String> groups) {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServers.RABBITMQ.host());
		factory.setPort(LocalServers.RABBITMQ.port());
		factory.setUsername("guest");
		factory.setPassword("guest");
		try (Connection connection = factory.newConnection("conformance-cleanup");
				Channel channel = connection.createChannel()) {
			for (String topic : topics) {
				// The suite's declared subscriber also subscribes a group named after one of its own with "-payload".
				for (String group : groups.stream().flatMap((group) -> Stream.of(group, group + "-payload")).toList()) {
					RabbitGroupQueues queues = RabbitGroupQueues.of(this.prefix, topic, group);
					// Deleting a queue that is not there succeeds.
					for (String queue : queues.all()) {
						channel.queueDelete(queue);
					}
				}
			}
			channel.exchangeDelete(this.prefix + "messages");
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not delete the conformance tests' queues", ex);
		}
	}

}
