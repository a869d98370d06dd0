package io.attach.amqp;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.attach.core.AttachAutoConfiguration;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with only {@code AMQP_URL} set, whose own {@code RabbitTemplate} and {@code @RabbitListener}
 * round-trip a message through the machine's RabbitMQ.
 *
 * @author attach
 */
class AmqpRoundTripIntegrationTests {

	private static final String QUEUE = "attach-round-trip-" + UUID.randomUUID();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(AttachAutoConfiguration.class, AmqpAttachAutoConfiguration.class,
					RabbitAutoConfiguration.class));

	@Test
	void whenOnlyAmqpUrlIsSetThenTemplateAndListenerRoundTripAMessage() {
		// Through a proxy on a port of its own: Boot's defaults (localhost:5672) would reach the broker too.
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			this.contextRunner
				.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:" + proxy.getPort() + "/%2F",
						"test.queue=" + QUEUE)
				.withUserConfiguration(UserApplication.class)
				.run((context) -> {
					try {
						context.getBean(RabbitTemplate.class).convertAndSend("", QUEUE, "user.created 42");
						assertThat(context.getBean(Inbox.class).received.poll(10, TimeUnit.SECONDS))
							.isEqualTo("user.created 42");
					}
					finally {
						context.getBean(AmqpAdmin.class).deleteQueue(QUEUE);
					}
				});
			assertThat(proxy.getConnectionCount()).isPositive();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@org.springframework.amqp.rabbit.annotation.EnableRabbit
	static class UserApplication {

		@Bean
		Queue roundTripQueue() {
			return new Queue(QUEUE, false, false, false);
		}

		@Bean
		Inbox inbox() {
			return new Inbox();
		}

	}

	static class Inbox {

		final BlockingQueue<String> received = new LinkedBlockingQueue<>();

		@RabbitListener(queues = "${test.queue}")
		void receive(String message) {
			this.received.add(message);
		}

	}

}
