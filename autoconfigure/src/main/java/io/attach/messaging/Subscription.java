package io.attach.messaging;

/**
 * A handler's subscription to a topic under a group.
 *
 * @author attach
 */
public interface Subscription extends AutoCloseable {

	/**
	 * Returns the topic.
	 * @return the topic
	 */
	String topic();

	/**
	 * Returns the group.
	 * @return the group
	 */
	String group();

	/**
	 * Stops delivering to this handler; messages of the group stay queued for its other consumers or for later.
	 */
	@Override
	void close();

}
