package io.attach.messaging;

/**
 * The names messaging is chosen by: its resource and the backends of {@code MESSAGING_BACKEND}, as the AMQP kind's
 * descriptor declares them.
 *
 * @author attach
 */
final class MessagingBackends {

	/**
	 * The resource, as in {@code attach.require=messaging}.
	 */
	static final String RESOURCE = "messaging";

	/**
	 * The backend that publishes to and consumes from the RabbitMQ broker of {@code AMQP_URL}.
	 */
	static final String RABBIT = "rabbit";

	/**
	 * The backend that delivers messages to this application's own subscribers, with no broker.
	 */
	static final String IN_PROCESS = "in-process";

	private MessagingBackends() {
	}

}
