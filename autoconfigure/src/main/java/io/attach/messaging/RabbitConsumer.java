package io.attach.messaging;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.util.Assert;

/**
 * Hands each message of a group's queue to its {@link Dispatch} and acts on the outcome, acknowledging only once what
 * follows is safe: a retry's copy or a parked copy is confirmed by the broker before the original is acked.
 * <p>
 * Anything unexpected, such as a lost connection while publishing the copy, nacks the message back to the queue; the
 * queue's delivery limit parks it if that keeps happening, so it is never dropped.
 *
 * @author attach
 */
final class RabbitConsumer implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(RabbitConsumer.class);

	private final RabbitGroupQueues queues;

	private final Dispatch dispatch;

	private final RabbitConfirmedSender sender;

	RabbitConsumer(RabbitGroupQueues queues, Dispatch dispatch, RabbitConfirmedSender sender) {
		this.queues = queues;
		this.dispatch = dispatch;
		this.sender = sender;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		// Never null with manual acknowledgements, where the container hands over its channel.
		Assert.state(channel != null, "No channel to acknowledge on");
		long tag = message.getMessageProperties().getDeliveryTag();
		try {
			act(message);
			channel.basicAck(tag, false);
		}
		catch (Exception ex) {
			logger.warn("Messaging could not settle a message of " + this.queues.queue()
					+ "; it goes back to the queue: " + ex.getMessage());
			channel.basicNack(tag, false, true);
		}
	}

	private void act(Message message) throws Exception {
		InboundMessage inbound;
		try {
			inbound = RabbitMessages.inbound(message, this.queues.topic());
		}
		catch (IllegalArgumentException ex) {
			park(message, String.valueOf(ex.getMessage()));
			return;
		}
		Outcome outcome = this.dispatch.dispatch(inbound);
		if (outcome instanceof Outcome.Retry retry) {
			Message copy = RabbitMessages.copy(message, inbound.attempt() + 1, null);
			// The retry queue's per-message TTL is the delay; then it dead-letters the copy back to the group's queue.
			copy.getMessageProperties().setExpiration(Long.toString(Math.max(0, retry.delay().toMillis())));
			this.sender.send("", this.queues.retry(), copy, this.queues.topic());
		}
		else if (outcome instanceof Outcome.Park park) {
			park(message, park.reason());
		}
	}

	private void park(Message message, String reason) throws Exception {
		this.sender.send("", this.queues.parked(), RabbitMessages.copy(message, RabbitMessages.attempt(message), reason),
				this.queues.topic());
		logger.warn("Messaging parked message " + message.getMessageProperties().getMessageId() + " of "
				+ this.queues.queue() + ": " + reason);
	}

}
