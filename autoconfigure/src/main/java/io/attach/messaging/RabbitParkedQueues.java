package io.attach.messaging;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Lists, requeues and discards the messages in the parked queues of this application's subscriptions.
 * <p>
 * RabbitMQ has no way to read a queue without taking its messages: browsing gets them unacknowledged and then nacks
 * them back, so messages browsed by another instance at the same moment are not seen, and their order may change.
 * Parked queues are classic queues, so this never counts as a failed delivery. A requeued message is confirmed on the
 * group's queue before it is removed from the parked queue.
 *
 * @author attach
 */
final class RabbitParkedQueues {

	// Browsing holds every message it passes unacknowledged until it is done: bounded, as a long queue would be.
	private static final int MAX_SCAN = 10_000;

	private final ConnectionFactory connectionFactory;

	private final RabbitTopology topology;

	private final RabbitConfirmedSender sender;

	private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

	RabbitParkedQueues(ConnectionFactory connectionFactory, RabbitTopology topology, RabbitConfirmedSender sender) {
		this.connectionFactory = connectionFactory;
		this.topology = topology;
		this.sender = sender;
	}

	List<MessageBroker.ParkedMessage> list(int limit) {
		List<MessageBroker.ParkedMessage> parked = new ArrayList<>();
		for (RabbitGroupQueues queues : this.topology.subscriptions()) {
			if (parked.size() >= limit) {
				break;
			}
			browse(queues, limit - parked.size(), (channel, tag, message) -> {
				parked.add(new MessageBroker.ParkedMessage(queues.group(), queues.topic(),
						String.valueOf(message.getMessageProperties().getMessageId()), RabbitMessages.attempt(message),
						Optional.ofNullable(RabbitMessages.reason(message))));
				return false;
			});
		}
		return parked;
	}

	/**
	 * Requeues a parked message to its group's queue.
	 * @param group the group
	 * @param topic the topic, or {@code null} for any of the group's: one id may be parked for several topics
	 * @param id the message's id
	 * @return whether it was parked
	 */
	boolean requeue(String group, @Nullable String topic, String id) {
		return take(group, topic, id, (queues, channel, tag, message) -> {
			this.sender.send("", queues.queue(), RabbitMessages.copy(message, 1, null), queues.topic());
			channel.basicAck(tag, false);
		});
	}

	/**
	 * Discards a parked message.
	 * @param group the group
	 * @param topic the topic, or {@code null} for any of the group's
	 * @param id the message's id
	 * @return whether it was parked
	 */
	boolean discard(String group, @Nullable String topic, String id) {
		return take(group, topic, id, (queues, channel, tag, message) -> channel.basicAck(tag, false));
	}

	/**
	 * Requeues every message parked for a group, each confirmed on the group's queue before it is removed from the
	 * parked one; one that fails again while this runs is parked behind the others and waits for the next call.
	 * @param group the group
	 * @return how many were requeued
	 */
	int requeueAll(String group) {
		int requeued = 0;
		for (RabbitGroupQueues queues : this.topology.subscriptions()) {
			if (queues.group().equals(group)) {
				requeued += requeueAll(queues);
			}
		}
		return requeued;
	}

	private int requeueAll(RabbitGroupQueues queues) {
		int requeued = 0;
		Connection connection = this.connectionFactory.createConnection();
		try (Channel channel = connection.createChannel(false)) {
			// Ids requeued by this call: meeting one again means the parked queue came round to what failed again.
			Set<String> requeuedIds = new HashSet<>();
			while (true) {
				GetResponse response = channel.basicGet(queues.parked(), false);
				if (response == null) {
					break;
				}
				Message message = message(response);
				long tag = response.getEnvelope().getDeliveryTag();
				if (!requeuedIds.add(String.valueOf(message.getMessageProperties().getMessageId()))) {
					channel.basicNack(tag, false, true);
					break;
				}
				try {
					this.sender.send("", queues.queue(), RabbitMessages.copy(message, 1, null), queues.topic());
				}
				catch (IOException | RuntimeException ex) {
					channel.basicNack(tag, false, true);
					throw ex;
				}
				channel.basicAck(tag, false);
				requeued++;
			}
			return requeued;
		}
		catch (IOException | TimeoutException ex) {
			throw new MessagingException("Could not requeue the parked queue " + queues.parked() + " after "
					+ requeued + " messages", ex);
		}
	}

	private boolean take(String group, @Nullable String topic, String id, Settle settle) {
		for (RabbitGroupQueues queues : this.topology.subscriptions()) {
			if (queues.group().equals(group) && (topic == null || queues.topic().equals(topic))
					&& browse(queues, MAX_SCAN, (channel, tag, message) -> {
				if (!id.equals(message.getMessageProperties().getMessageId())) {
					return false;
				}
				settle.settle(queues, channel, tag, message);
				return true;
			})) {
				return true;
			}
		}
		return false;
	}

	private boolean browse(RabbitGroupQueues queues, int limit, Visitor visitor) {
		Connection connection = this.connectionFactory.createConnection();
		try (Channel channel = connection.createChannel(false)) {
			long unsettled = -1;
			for (int i = 0; i < limit; i++) {
				GetResponse response = channel.basicGet(queues.parked(), false);
				if (response == null) {
					break;
				}
				Message message = message(response);
				long tag = response.getEnvelope().getDeliveryTag();
				boolean settled;
				try {
					settled = visitor.visit(channel, tag, message);
				}
				catch (IOException | RuntimeException ex) {
					// Nothing stays taken: the channel goes back to the factory's cache, not closed.
					channel.basicNack(tag, true, true);
					throw ex;
				}
				if (settled) {
					giveBack(channel, unsettled);
					return true;
				}
				unsettled = tag;
			}
			giveBack(channel, unsettled);
			return false;
		}
		catch (IOException | TimeoutException ex) {
			throw new MessagingException("Could not read the parked queue " + queues.parked(), ex);
		}
	}

	private Message message(GetResponse response) {
		return new Message(response.getBody(),
				this.converter.toMessageProperties(response.getProps(), response.getEnvelope(), "UTF-8"));
	}

	private static void giveBack(Channel channel, long unsettled) throws IOException {
		if (unsettled >= 0) {
			channel.basicNack(unsettled, true, true);
		}
	}

	@FunctionalInterface
	private interface Visitor {

		boolean visit(Channel channel, long tag, Message message) throws IOException;

	}

	@FunctionalInterface
	private interface Settle {

		void settle(RabbitGroupQueues queues, Channel channel, long tag, Message message) throws IOException;

	}

}
