package io.attach.outbox;

/**
 * Adds to every outbox that {@link Outboxes} creates, such as its resource's circuit breaker or metrics; a bean of
 * this type applies to every channel.
 *
 * @author attach
 */
@FunctionalInterface
public interface OutboxBuilderCustomizer {

	/**
	 * Customizes an outbox before it is created.
	 * @param builder the outbox's builder, which names its resource
	 */
	void customize(OutboxBuilder builder);

}
