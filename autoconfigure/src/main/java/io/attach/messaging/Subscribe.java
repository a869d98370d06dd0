package io.attach.messaging;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Subscribes a bean's method to a topic under a group: the consumers of one group compete for its messages, and every
 * group gets every message. The method takes the payload's type or a {@link ReceivedMessage} of it.
 *
 * @author attach
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Subscribe {

	/**
	 * The topic.
	 * @return the topic
	 */
	String topic();

	/**
	 * The group, typically the name of the service or of what it does with the message.
	 * @return the group
	 */
	String group();

}
