package io.attach.messaging;

/**
 * A consumer a {@link MessageBroker} started, which stops when closed and can tell whether it consumes now, such as
 * one whose broker is unreachable and keeps trying.
 *
 * @author attach
 */
interface Consumer extends AutoCloseable {

	/**
	 * Returns whether the consumer runs: started, not stopped for good.
	 * @return whether it consumes
	 */
	boolean isConsuming();

}
