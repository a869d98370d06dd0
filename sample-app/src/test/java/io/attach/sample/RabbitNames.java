package io.attach.sample;

import java.io.IOException;
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

	private RabbitNames() {
	}

	/**
	 * Returns how many messages wait in a queue, not counting those delivered and not yet acknowledged.
	 * @param queue the queue's name
	 * @return the count
	 */
	static long ready(String queue) throws IOException, TimeoutException {
		try (Connection connection = connect(); Channel channel = connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
	}

	/**
	 * Deletes what the sample declared with an exchange named {@code names} and a queue prefix {@code names.}.
	 * @param names the exchange name and queue prefix
	 */
	static void delete(String names) throws IOException, TimeoutException {
		try (Connection connection = connect()) {
			String queue = names + "." + SUBSCRIPTION;
			for (String name : List.of(queue, queue + ":retry", queue + ":parked")) {
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
