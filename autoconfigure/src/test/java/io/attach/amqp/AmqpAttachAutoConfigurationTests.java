package io.attach.amqp;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidSettingException;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import org.springframework.boot.amqp.autoconfigure.health.RabbitHealthContributorAutoConfiguration;
import org.springframework.boot.amqp.health.RabbitHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AmqpAttachAutoConfiguration} and {@link AmqpHealthAttachAutoConfiguration}, which build the
 * client's connection factory without connecting.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class AmqpAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, AmqpAttachAutoConfiguration.class,
				RabbitAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				AmqpHealthAttachAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				RabbitHealthContributorAutoConfiguration.class));

	@Test
	void whenUrlIsSetThenBootsConnectionFactoryUsesIt() {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://app:s3cret@broker.example.com:5673/v%2Fhost")
			.run((context) -> {
				com.rabbitmq.client.ConnectionFactory client = client(context.getBean(CachingConnectionFactory.class));
				assertThat(client.getHost()).isEqualTo("broker.example.com");
				assertThat(client.getPort()).isEqualTo(5673);
				assertThat(client.getUsername()).isEqualTo("app");
				assertThat(client.getPassword()).isEqualTo("s3cret");
				assertThat(client.getVirtualHost()).isEqualTo("v/host");
				assertThat(client.isSSL()).isFalse();
			});
	}

	@Test
	void whenUrlIsAmqpsThenTheClientUsesTls() {
		this.contextRunner.withPropertyValues("CLOUDAMQP_URL=amqps://app:s3cret@broker.example.com/app")
			.run((context) -> {
				com.rabbitmq.client.ConnectionFactory client = client(context.getBean(CachingConnectionFactory.class));
				assertThat(client.isSSL()).isTrue();
				assertThat(client.getPort()).isEqualTo(5671);
				assertThat(context.getBean(RabbitConnectionDetails.class).getSslBundle()).isNotNull();
			});
	}

	@Test
	void whenNothingElseIsSetThenAttachsTimeoutsAreFinite() {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://broker.example.com").run((context) -> {
			com.rabbitmq.client.ConnectionFactory client = client(context.getBean(CachingConnectionFactory.class));
			assertThat(client.getConnectionTimeout()).isEqualTo(5000);
			assertThat(client.getHandshakeTimeout()).isEqualTo(10000);
			// The client's own default is 10 minutes.
			assertThat(client.getChannelRpcTimeout()).isEqualTo(30000);
			assertThat(client.getShutdownTimeout()).isEqualTo(5000);
			assertThat(client.getRequestedHeartbeat()).isEqualTo(30);
		});
	}

	@Test
	void whenAttachPropertiesAreSetThenTheyAreUsed() {
		this.contextRunner
			.withPropertyValues("AMQP_URL=amqp://broker.example.com", "attach.amqp.connect-timeout=1s",
					"attach.amqp.handshake-timeout=2s", "attach.amqp.rpc-timeout=3s",
					"attach.amqp.shutdown-timeout=4s", "attach.amqp.heartbeat=1500ms")
			.run((context) -> {
				com.rabbitmq.client.ConnectionFactory client = client(context.getBean(CachingConnectionFactory.class));
				assertThat(client.getConnectionTimeout()).isEqualTo(1000);
				assertThat(client.getHandshakeTimeout()).isEqualTo(2000);
				assertThat(client.getChannelRpcTimeout()).isEqualTo(3000);
				assertThat(client.getShutdownTimeout()).isEqualTo(4000);
				assertThat(client.getRequestedHeartbeat()).isEqualTo(2);
			});
	}

	@Test
	void whenSpringRabbitPropertiesAreSetThenTheyWinOverAttachs() {
		this.contextRunner
			.withPropertyValues("AMQP_URL=amqp://broker.example.com", "spring.rabbitmq.connection-timeout=2s",
					"spring.rabbitmq.channel-rpc-timeout=20s", "spring.rabbitmq.requested-heartbeat=12",
					"attach.amqp.connect-timeout=1s", "attach.amqp.rpc-timeout=3s", "attach.amqp.heartbeat=5s")
			.run((context) -> {
				com.rabbitmq.client.ConnectionFactory client = client(context.getBean(CachingConnectionFactory.class));
				assertThat(client.getConnectionTimeout()).isEqualTo(2000);
				assertThat(client.getChannelRpcTimeout()).isEqualTo(20000);
				assertThat(client.getRequestedHeartbeat()).isEqualTo(12);
			});
	}

	@Test
	void whenUrlHasParametersThenTheyWinOverProperties() {
		this.contextRunner
			.withPropertyValues("AMQP_URL=amqp://broker.example.com?heartbeat=7&connection_timeout=1500&channel_max=64",
					"spring.rabbitmq.connection-timeout=2s", "spring.rabbitmq.requested-heartbeat=12",
					"spring.rabbitmq.requested-channel-max=10")
			.run((context) -> {
				com.rabbitmq.client.ConnectionFactory client = client(context.getBean(CachingConnectionFactory.class));
				assertThat(client.getConnectionTimeout()).isEqualTo(1500);
				assertThat(client.getRequestedHeartbeat()).isEqualTo(7);
				assertThat(client.getRequestedChannelMax()).isEqualTo(64);
			});
	}

	@Test
	void whenATimeoutIsZeroThenStartupFailsNamingTheSetting() {
		for (String setting : new String[] { "attach.amqp.rpc-timeout", "attach.amqp.heartbeat",
				"attach.amqp.connect-timeout", "attach.amqp.handshake-timeout", "attach.amqp.shutdown-timeout",
				"spring.rabbitmq.channel-rpc-timeout", "spring.rabbitmq.connection-timeout",
				"spring.rabbitmq.requested-heartbeat" }) {
			this.contextRunner.withPropertyValues("AMQP_URL=amqp://broker.example.com", setting + "=0")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidSettingException.class)
					.hasMessageStartingWith(setting + " is 0")
					.hasMessageContaining("attach never waits forever"));
		}
	}

	@Test
	void whenUrlEndsWithASlashThenStartupWarnsAndUsesTheDefaultVirtualHost(CapturedOutput output) {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://app:s3cret@broker.example.com/").run((context) -> {
			assertThat(client(context.getBean(CachingConnectionFactory.class)).getVirtualHost()).isEqualTo("/");
		});
		assertThat(output).contains("WARN")
			.contains("AMQP_URL ends with '/', which names the empty virtual host")
			.doesNotContain("s3cret");
	}

	@Test
	void whenUserDefinesAConnectionFactoryThenStartupSaysItTakesPrecedence(CapturedOutput output) {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://app:s3cret@broker.example.com")
			.withBean("userConnectionFactory", ConnectionFactory.class,
					() -> new CachingConnectionFactory("user.example.com"))
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(ConnectionFactory.class)
				.extracting(ConnectionFactory::getHost)
				.isEqualTo("user.example.com"));
		assertThat(output).contains("AMQP_URL is set, but the " + CachingConnectionFactory.class.getName()
				+ " bean takes precedence: messaging does not use AMQP_URL");
	}

	@Test
	void whenBootBuildsTheConnectionFactoryThenNothingIsSaidAboutPrecedence(CapturedOutput output) {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://broker.example.com")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(CachingConnectionFactory.class));
		assertThat(output).doesNotContain("takes precedence");
	}

	@Test
	void whenTheBrokerIsAttachedThenItsCheckReplacesBootsRabbitCheck() {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://broker.example.com").run((context) -> {
			assertThat(context).getBean("messagingHealthContributor").isInstanceOf(MonitoredHealthIndicator.class);
			assertThat(context.getBean("rabbitHealthContributor"))
				.isSameAs(context.getBean("messagingHealthContributor"));
			assertThat(context).doesNotHaveBean(RabbitHealthIndicator.class);
		});
	}

	@Test
	void whenBootsRabbitCheckIsTurnedOffThenAttachsCheckIsOffToo() {
		this.contextRunner.withPropertyValues("AMQP_URL=amqp://broker.example.com",
				"management.health.rabbit.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class)
				.doesNotHaveBean("rabbitHealthContributor"));
	}

	private static com.rabbitmq.client.ConnectionFactory client(CachingConnectionFactory connectionFactory) {
		return connectionFactory.getRabbitConnectionFactory();
	}

}
