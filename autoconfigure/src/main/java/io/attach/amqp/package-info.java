/**
 * {@code AMQP_URL} attached as Spring Boot's {@code RabbitConnectionDetails}, with finite timeouts, verified TLS and a
 * bounded health check of the connection and the topology that uses it.
 */
@NullMarked
package io.attach.amqp;

import org.jspecify.annotations.NullMarked;
