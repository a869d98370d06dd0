package io.attach.amqp;

import io.attach.core.ResourceKind;

/**
 * The {@code messaging} resource: a RabbitMQ broker reached over AMQP 0-9-1, from {@code AMQP_URL} (or
 * {@code RABBITMQ_URL}, {@code CLOUDAMQP_URL}), with TLS for {@code amqps}. {@code MESSAGING_BACKEND} chooses between
 * the broker and delivering messages inside the application.
 *
 * @author attach
 */
final class AmqpResourceKind extends ResourceKind {

	static final String RESOURCE = "messaging";

	AmqpResourceKind() {
		// Degradable by default: publishes queue up in the outbox while the broker is away.
		super(define("amqp", RESOURCE).variables("AMQP_URL", "RABBITMQ_URL", "CLOUDAMQP_URL")
			.schemes("amqp", "amqps")
			.guarded()
			.urlLists()
			.replacesBootCheck("rabbit")
			.bootProperties("spring.rabbitmq.host", "spring.rabbitmq.addresses")
			// Boot's RabbitMQ defaults to localhost: an unset AMQP_URL must not make it probe one.
			.bootCheckOffWhenUnused()
			.backends("MESSAGING_BACKEND", Backend.attached("rabbit", "publish to the broker of AMQP_URL", "amqp", "amqps"),
					Backend.local("in-process", "deliver messages inside this application, with no broker"))
			.exampleUrl("amqps://user:secret@broker.example.com/vhost")
			.library("org.springframework.amqp.rabbit.connection.CachingConnectionFactory")
			.failures("org.springframework.amqp.AmqpException", "com.rabbitmq.client.ShutdownSignalException")
			.connectionDetails("org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails",
					"io.attach.amqp.AmqpUrlConnectionDetails"));
	}

}
