package io.attach.amqp;

import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import io.attach.core.AttachAutoConfiguration;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Integration tests of the client's timeouts against the machine's RabbitMQ behind a black-holed fault proxy: every
 * wait ends with an exception, where the client's defaults would wait for minutes.
 *
 * @author attach
 */
// A guard, not an assertion on time: with the client's 10-minute RPC timeout a regression would hang the build.
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AmqpTimeoutsIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(AttachAutoConfiguration.class, AmqpAttachAutoConfiguration.class,
					RabbitAutoConfiguration.class));

	@Test
	void whenTheBrokerIsBlackholedThenConnectingEndsWithTheHandshakeTimeout() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			proxy.blackhole();
			this.contextRunner
				.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:" + proxy.getPort(),
						"attach.amqp.handshake-timeout=1s")
				.run((context) -> {
					ConnectionFactory connectionFactory = context.getBean(ConnectionFactory.class);
					assertThatExceptionOfType(AmqpException.class).isThrownBy(connectionFactory::createConnection)
						.withCauseInstanceOf(TimeoutException.class);
				});
			assertThat(proxy.getConnectionCount()).isPositive();
		}
	}

	@Test
	void whenTheBrokerIsBlackholedAfterConnectingThenAChannelOperationEndsWithTheRpcTimeout() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			this.contextRunner
				.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:" + proxy.getPort(),
						"attach.amqp.rpc-timeout=1s")
				.run((context) -> {
					Connection connection = context.getBean(ConnectionFactory.class).createConnection();
					Channel channel = connection.createChannel(false);
					proxy.blackhole();
					assertThatExceptionOfType(Exception.class)
						.isThrownBy(() -> channel.queueDeclarePassive("amq.rabbitmq.reply-to.none"))
						.satisfies((ex) -> assertThat(ex).hasStackTraceContaining("ChannelContinuationTimeoutException"));
				});
		}
	}

	@Test
	void whenTheUrlSetsTheConnectionTimeoutThenTheClientUsesIt() {
		try (FaultProxy proxy = LocalServers.RABBITMQ.proxy()) {
			this.contextRunner
				.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:" + proxy.getPort()
						+ "?connection_timeout=1500&heartbeat=5")
				.run((context) -> {
					Connection connection = context.getBean(ConnectionFactory.class).createConnection();
					// The broker proposes 60 s; the lower of the two wins.
					assertThat(connection.getDelegate().getHeartbeat()).isEqualTo(5);
					connection.close();
				});
		}
	}

}
