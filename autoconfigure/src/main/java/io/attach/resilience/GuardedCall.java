package io.attach.resilience;

import org.jspecify.annotations.Nullable;

/**
 * A call to an attached resource that a {@link ResourceGuard} runs, which may throw the client's own exception.
 *
 * @param <T> the result type
 * @param <E> the exception the call may throw
 * @author attach
 */
@FunctionalInterface
public interface GuardedCall<T, E extends Throwable> {

	/**
	 * Makes the call.
	 * @return its result
	 * @throws E when the call fails
	 */
	@Nullable T call() throws E;

}
