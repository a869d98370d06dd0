package io.attach.amqp;

import java.util.List;
import java.util.UUID;

import com.rabbitmq.client.Address;
import io.attach.core.AttachAutoConfiguration;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link AmqpCheck} against the machine's RabbitMQ, through a fault proxy.
 *
 * @author attach
 */
class AmqpCheckIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, AmqpAttachAutoConfiguration.class,
				RabbitAutoConfiguration.class))
		.withPropertyValues("attach.amqp.handshake-timeout=1s", "attach.amqp.connect-timeout=1s");

	@Test
	void whenTheBrokerAnswersThenTheCheckIsUpAndNamesItWithoutThePassword() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			run(proxy, List.of(), (health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("server", "127.0.0.1:" + proxy.getPort())
					.containsEntry("virtualHost", "/")
					.containsKey("version");
				assertThat(health.toString()).doesNotContain("guest:");
			});
			// The check's own connection, opened and closed, not the application's.
			assertThat(proxy.getConnectionCount()).isEqualTo(1);
		}
	}

	@Test
	void whenATopologyFindsItsQueueThenTheCheckIsUp() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			String queue = "attach-check-" + UUID.randomUUID();
			RabbitAdmin admin = new RabbitAdmin(new CachingConnectionFactory("127.0.0.1", LocalServers.RABBITMQ.port()));
			admin.declareQueue(new Queue(queue, false, false, false));
			try {
				run(proxy, List.of((channel) -> channel.queueDeclarePassive(queue)),
						(health) -> assertThat(health.getStatus()).isEqualTo(Status.UP));
			}
			finally {
				admin.deleteQueue(queue);
			}
		}
	}

	@Test
	void whenATopologyMissesItsQueueThenTheCheckIsDownNamingIt() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			String queue = "attach-missing-" + UUID.randomUUID();
			AmqpTopology present = (channel) -> channel.exchangeDeclarePassive("amq.direct");
			run(proxy, List.of(present, (channel) -> channel.queueDeclarePassive(queue)), (health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("server", "127.0.0.1:" + proxy.getPort());
				assertThat((String) health.getDetails().get("topology")).contains("NOT_FOUND").contains(queue);
				assertThat((String) health.getDetails().get("cause"))
					.startsWith("the broker lacks what this application declares: ")
					.contains(queue);
			});
		}
	}

	@Test
	void whenTheBrokerIsBlackholedThenTheCheckIsDownWithinTheHandshakeTimeout() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			proxy.blackhole();
			run(proxy, List.of(), (health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) health.getDetails().get("error")).contains("TimeoutException");
			});
		}
	}

	@Test
	void whenTheBrokerRefusesThenTheCheckIsDown() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			proxy.refuse();
			run(proxy, List.of(), (health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat((String) health.getDetails().get("error")).contains("Connection refused");
			});
		}
	}

	private void run(FaultProxy proxy, List<AmqpTopology> topologies, java.util.function.Consumer<Health> assertions) {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:" + proxy.getPort())
			.run((context) -> {
				CachingConnectionFactory connectionFactory = context.getBean(CachingConnectionFactory.class);
				AmqpCheck check = new AmqpCheck(
						AmqpCheck.shortLived(connectionFactory.getRabbitConnectionFactory(),
								List.of(new Address("127.0.0.1", proxy.getPort()))),
						connectionFactory.getVirtualHost(), () -> topologies);
				assertions.accept(check.health());
			});
	}

}
