/**
 * Broker-neutral messaging: publish to a topic through the outbox, subscribe under a group; RabbitMQ when
 * {@code AMQP_URL} is attached, in-process when it is not.
 */
@NullMarked
package io.attach.messaging;

import org.jspecify.annotations.NullMarked;
