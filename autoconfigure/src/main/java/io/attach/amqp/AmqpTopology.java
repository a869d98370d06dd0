package io.attach.amqp;

import java.io.IOException;

import com.rabbitmq.client.Channel;

/**
 * Topology an application relies on, such as messaging's exchanges and queues, checked by the broker's health check
 * after the connection: a bean of this type makes a missing queue a health failure rather than a silent loss.
 *
 * @author attach
 */
public interface AmqpTopology {

	/**
	 * Checks, with passive declarations only, that the topology exists; never creates or changes anything.
	 * @param channel a channel of the health check's own connection, closed afterwards
	 * @throws IOException if something is missing, naming it
	 */
	void verify(Channel channel) throws IOException;

}
