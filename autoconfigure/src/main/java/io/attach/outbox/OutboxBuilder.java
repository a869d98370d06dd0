package io.attach.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.attach.core.AttachedResource;
import io.attach.resilience.ResourceCircuitBreaker;
import org.jspecify.annotations.Nullable;

/**
 * What {@link Outboxes} wires into one channel's outbox before creating it, as each
 * {@link OutboxBuilderCustomizer} adds its part: the resource's circuit breaker, listeners such as metrics, and
 * actions that need the started context, such as waking on the resource's recovery.
 *
 * @author attach
 */
public final class OutboxBuilder {

	private final String channel;

	private final @Nullable AttachedResource resource;

	private @Nullable ResourceCircuitBreaker breaker;

	private final List<OutboxListener> listeners = new ArrayList<>();

	private final List<Consumer<Outbox>> startActions = new ArrayList<>();

	OutboxBuilder(String channel, @Nullable AttachedResource resource) {
		this.channel = channel;
		this.resource = resource;
	}

	/**
	 * Returns the channel, named after the resource the outbox serves.
	 * @return the channel, such as {@code mail}
	 */
	public String getChannel() {
		return this.channel;
	}

	/**
	 * Returns the attached resource the outbox serves, if any: a channel whose work stays in the application, such as
	 * messages delivered in-process, has none, and so no circuit breaker or health check.
	 * @return the resource, or empty
	 */
	public Optional<AttachedResource> getResource() {
		return Optional.ofNullable(this.resource);
	}

	/**
	 * Guards every call of the relay with the resource's circuit breaker.
	 * @param breaker the breaker
	 * @return this builder
	 */
	public OutboxBuilder breaker(ResourceCircuitBreaker breaker) {
		this.breaker = breaker;
		return this;
	}

	/**
	 * Adds a listener told what the relay did with items.
	 * @param listener the listener
	 * @return this builder
	 */
	public OutboxBuilder listener(OutboxListener listener) {
		this.listeners.add(listener);
		return this;
	}

	/**
	 * Adds an action run once, when the outbox first starts, with every bean of the context in place.
	 * @param action the action
	 * @return this builder
	 */
	public OutboxBuilder whenStarted(Consumer<Outbox> action) {
		this.startActions.add(action);
		return this;
	}

	Outbox build(OutboxStore store, OutboxDelivery delivery, AttachOutboxProperties properties) {
		String channel = this.channel;
		ResourceCircuitBreaker breaker = this.breaker;
		List<OutboxListener> listeners = List.copyOf(this.listeners);
		OutboxListener listener = (listeners.size() == 1) ? listeners.get(0) : new Listeners(listeners);
		OutboxRelay relay = new OutboxRelay(channel, store, delivery, breaker, properties, store::initialize,
				listener);
		return new Outbox(channel, store, relay, this.startActions);
	}

	/**
	 * Tells several listeners in turn.
	 */
	private record Listeners(List<OutboxListener> listeners) implements OutboxListener {

		@Override
		public void delivered(int count) {
			this.listeners.forEach((listener) -> listener.delivered(count));
		}

		@Override
		public void retried(int count) {
			this.listeners.forEach((listener) -> listener.retried(count));
		}

		@Override
		public void parked(int count) {
			this.listeners.forEach((listener) -> listener.parked(count));
		}

	}

}
