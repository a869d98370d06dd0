package io.attach.messaging;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attach.amqp.AmqpAttachAutoConfiguration;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Startup of messaging on RabbitMQ while the broker does not answer: subscriptions wait for it off the main thread,
 * and consume once it answers.
 *
 * @author attach
 */
class RabbitMessagingStartupIntegrationTests {

	private static final String TOPIC = "startup.checked";

	private static final List<String> GROUPS = List.of("first", "second", "third");

	private final String prefix = "attach-startup-" + UUID.randomUUID().toString().substring(0, 8) + ".";

	@TempDir
	Path spool;

	private FaultProxy proxy;

	@AfterEach
	void cleanUp() throws Exception {
		if (this.proxy != null) {
			this.proxy.close();
		}
		try (Connection connection = admin().newConnection("attach-startup-cleanup");
				Channel channel = connection.createChannel()) {
			for (String group : GROUPS) {
				for (String queue : RabbitGroupQueues.of(this.prefix, TOPIC, group).all()) {
					channel.queueDelete(queue);
				}
			}
			channel.exchangeDelete(this.prefix + "messages");
		}
	}

	@Test
	// Generous: each subscription used to wait twice for the 30 s handshake timeout, one after the other.
	@Timeout(value = 90, unit = TimeUnit.SECONDS)
	void whenTheBrokerIsBlackHoledThenStartupDoesNotWaitAndConsumersBeginOnceItAnswers() {
		LocalServers.RABBITMQ.require();
		this.proxy = LocalServers.RABBITMQ.proxy();
		this.proxy.blackhole();
		MessagingTestRunners.withoutDatabase(this.spool)
			.withConfiguration(AutoConfigurations.of(AmqpAttachAutoConfiguration.class, RabbitAutoConfiguration.class))
			.withUserConfiguration(ThreeSubscriptions.class)
			.withPropertyValues("AMQP_URL=amqp://guest:guest@127.0.0.1:" + this.proxy.getPort(),
					"MESSAGING_BACKEND=rabbit", "attach.amqp.handshake-timeout=30s",
					"attach.messaging.rabbit.exchange=" + this.prefix + "messages",
					"attach.messaging.rabbit.queue-prefix=" + this.prefix)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				MessagingSubscriptions subscriptions = context.getBean(MessagingSubscriptions.class);
				assertThat(subscriptions.isRunning()).isTrue();
				assertThat(subscriptions.describe()).extracting(MessagingSubscriptions.Description::group)
					.containsExactlyInAnyOrderElementsOf(GROUPS);
				this.proxy.pass();
				await().atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> GROUPS.stream().allMatch((group) -> consumers(group) == 1));
				assertThat(subscriptions.describe()).allMatch(MessagingSubscriptions.Description::consuming);
			});
	}

	private long consumers(String group) {
		try (Connection connection = admin().newConnection("attach-startup-check")) {
			Channel channel = connection.createChannel();
			return channel.queueDeclarePassive(RabbitGroupQueues.of(this.prefix, TOPIC, group).queue())
				.getConsumerCount();
		}
		catch (IOException | TimeoutException ex) {
			// Not declared yet.
			return -1;
		}
	}

	private static ConnectionFactory admin() {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(LocalServers.RABBITMQ.host());
		factory.setPort(LocalServers.RABBITMQ.port());
		factory.setUsername("guest");
		factory.setPassword("guest");
		return factory;
	}

	@Configuration(proxyBeanMethods = false)
	static class ThreeSubscriptions {

		@Bean
		SmartInitializingSingleton subscribeThree(Subscriptions subscriptions) {
			return () -> GROUPS.forEach((group) -> subscriptions.subscribe(TOPIC, group, String.class, (message) -> {
			}));
		}

	}

}
