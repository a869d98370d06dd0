package io.attach.outbox;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.attach.core.AttachedResource;
import org.jspecify.annotations.Nullable;

/**
 * Creates the outbox of a channel from the resource it serves and what delivers to it, wired the same way for every
 * kind: the store every channel shares, the resource's circuit breaker, metrics, store readiness, and a wake when the
 * resource's health check finds it up again. A kind declares the result as a bean of its own.
 *
 * @author attach
 */
public final class Outboxes {

	private final Supplier<OutboxStore> store;

	private final AttachOutboxProperties properties;

	private final List<OutboxBuilderCustomizer> customizers;

	private final Set<String> channels = ConcurrentHashMap.newKeySet();

	/**
	 * Creates the factory.
	 * @param store the store every channel shares, asked for only when the first outbox is created
	 * @param properties the outbox settings
	 * @param customizers what each outbox is given, such as its breaker or metrics, in order
	 */
	public Outboxes(Supplier<OutboxStore> store, AttachOutboxProperties properties,
			List<OutboxBuilderCustomizer> customizers) {
		this.store = store;
		this.properties = properties;
		this.customizers = List.copyOf(customizers);
	}

	/**
	 * Creates the outbox of a resource, on the channel named after it; it delivers once started.
	 * @param resource the resource the outbox serves
	 * @param delivery what delivers its items to the resource
	 * @return the outbox, to declare as a bean so that the context starts and stops it
	 * @throws IllegalStateException if the resource has an outbox already
	 */
	public Outbox create(AttachedResource resource, OutboxDelivery delivery) {
		return create(resource.name(), resource, delivery, false);
	}

	/**
	 * Creates the outbox of a channel that serves no attached resource, such as messages delivered to the
	 * application's own subscribers when no broker is attached: the same store, metrics and readiness, but no
	 * circuit breaker or health check, which belong to a resource.
	 * @param channel the channel, named after the resource it would serve, such as {@code messaging}
	 * @param delivery what delivers its items
	 * @return the outbox, to declare as a bean so that the context starts and stops it
	 * @throws IllegalStateException if the channel has an outbox already
	 */
	public Outbox create(String channel, OutboxDelivery delivery) {
		return create(channel, null, delivery, false);
	}

	/**
	 * Creates the outbox of a channel that serves no attached resource and that many applications have but few use,
	 * such as messages delivered in-process: the context does not start its relay, which starts with the first item
	 * enqueued or when its owner calls {@link Outbox#start()}, so that an application that never uses the channel
	 * runs no relay polling the store.
	 * @param channel the channel, such as {@code messaging}
	 * @param delivery what delivers its items
	 * @return the outbox, to declare as a bean so that the context stops it
	 * @throws IllegalStateException if the channel has an outbox already
	 */
	public Outbox createOnDemand(String channel, OutboxDelivery delivery) {
		return create(channel, null, delivery, true);
	}

	private Outbox create(String channel, @Nullable AttachedResource resource, OutboxDelivery delivery,
			boolean onDemand) {
		if (!this.channels.add(channel)) {
			// Two relays on one channel would only race each other for the same items.
			throw new IllegalStateException("The resource " + channel + " has an outbox already");
		}
		OutboxBuilder builder = new OutboxBuilder(channel, resource);
		this.customizers.forEach((customizer) -> customizer.customize(builder));
		// An on-demand channel must not create the shared table or spool before its first item either.
		OutboxStore store = onDemand ? new LazyOutboxStore(this.store) : this.store.get();
		return builder.build(store, delivery, this.properties, onDemand);
	}

}
