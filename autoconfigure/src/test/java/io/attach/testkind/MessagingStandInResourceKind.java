package io.attach.testkind;

import io.attach.core.ResourceKind;

/**
 * Stands in, in tests only, for the {@code messaging} kind that the AMQP package declares, so that messaging's
 * backend switch resolves before that descriptor exists on this branch. Delete it, and its line in
 * {@code META-INF/spring.factories} of the tests, once {@code io.attach.amqp} registers the real one: two kinds
 * declaring one resource fail every context, loudly.
 *
 * @author attach
 */
final class MessagingStandInResourceKind extends ResourceKind {

	MessagingStandInResourceKind() {
		super(define("amqp", "messaging").variables("AMQP_URL")
			.schemes("amqp", "amqps")
			.backends("MESSAGING_BACKEND",
					Backend.attached("rabbit", "publish to and consume from the RabbitMQ broker of AMQP_URL", "amqp",
							"amqps"),
					Backend.local("in-process", "deliver messages to this application's own subscribers")));
	}

}
