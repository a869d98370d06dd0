package io.attach.sample;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.attach.test.LocalServers;

/**
 * The exchanges and queues a test declared on the machine's RabbitMQ under names of its own, read and deleted
 * straight on the broker, not through a test's fault proxy.
 *
 * @author attach
 */
final class RabbitNames {

	// The sample's one subscription: group events-log on topic user.created.
	private static final String SUBSCRIPTION = "events-log:user.created";

	// Messaging's default retry tiers, and the single retry queue of earlier versions.
	private static final List<String> RETRY_QUEUES = List.of(":retry-1s", ":retry-10s", ":retry-1m", ":retry-10m",
			":retry");

	private RabbitNames() {
	}

	/**
	 * Returns whether a group's queue and its retry queues hold no message ready for delivery.
	 * @param queue the group's queue
	 * @return whether they are empty
	 */
	static boolean empty(String queue) throws IOException, TimeoutException {
		try (Connection connection = connect()) {
			for (String name : names(queue)) {
				if (name.endsWith(":parked")) {
					continue;
				}
				try (Channel channel = connection.createChannel()) {
					if (channel.queueDeclarePassive(name).getMessageCount() > 0) {
						return false;
					}
				}
				catch (IOException ex) {
					// Not declared (the retry queue of earlier versions): nothing in it.
				}
			}
			return true;
		}
	}

	/**
	 * Deletes what the sample declared with an exchange named {@code names} and a queue prefix {@code names.}.
	 * @param names the exchange name and queue prefix
	 */
	static void delete(String names) throws IOException, TimeoutException {
		try (Connection connection = connect()) {
			String queue = names + "." + SUBSCRIPTION;
			for (String name : names(queue)) {
				// A channel per deletion: deleting what is not there is no error, but a broker refusal closes it.
				try (Channel channel = connection.createChannel()) {
					channel.queueDelete(name);
				}
			}
			// Dead letters go through the default exchange: the one exchange is the sample's.
			try (Channel channel = connection.createChannel()) {
				channel.exchangeDelete(names);
			}
		}
	}

	private static List<String> names(String queue) {
		List<String> names = new ArrayList<>();
		names.add(queue);
		RETRY_QUEUES.forEach((retry) -> names.add(queue + retry));
		names.add(queue + ":parked");
		return names;
	}

	private static Connection connect() throws IOException, TimeoutException {
		LocalServers.Server rabbit = LocalServers.RABBITMQ.require();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(rabbit.host());
		factory.setPort(rabbit.port());
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setConnectionTimeout(5000);
		return factory.newConnection("attach-sample-test-cleanup");
	}

}
