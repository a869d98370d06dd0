package io.attach.outbox;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What every call of a relay to its service passes through, such as the resource's circuit breaker.
 *
 * @author attach
 */
interface DeliveryGate {

	/**
	 * A gate that makes every call.
	 */
	DeliveryGate OPEN = new DeliveryGate() {

		@Override
		public @Nullable Object call(Supplier<@Nullable Object> call) {
			return call.get();
		}

	};

	/**
	 * Makes a call unless the gate refuses it.
	 * @param call the call, which throws a {@link ServiceFailure} when the service fails
	 * @return the call's result
	 * @throws ServiceFailure if the service failed, or the gate refused the call
	 */
	@Nullable Object call(Supplier<@Nullable Object> call);

	/**
	 * Lets the next call through at once, because the service was found up again.
	 */
	default void recovered() {
	}

}
