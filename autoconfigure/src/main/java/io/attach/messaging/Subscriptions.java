package io.attach.messaging;

/**
 * Subscribes handlers programmatically, as {@link Subscribe @Subscribe} does declaratively.
 *
 * @author attach
 */
public interface Subscriptions {

	/**
	 * Subscribes a handler to a topic under a group; it receives messages once the application has started.
	 * @param <T> the payload's type
	 * @param topic the topic
	 * @param group the group
	 * @param type the payload's type, read from JSON
	 * @param handler the handler
	 * @return the subscription, to cancel it
	 */
	<T> Subscription subscribe(String topic, String group, Class<T> type, MessageHandler<T> handler);

}
