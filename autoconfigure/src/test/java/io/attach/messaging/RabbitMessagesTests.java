package io.attach.messaging;

import java.nio.charset.StandardCharsets;

import com.rabbitmq.client.impl.LongStringHelper;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RabbitMessages}.
 *
 * @author attach
 */
class RabbitMessagesTests {

	@Test
	void headerValueLongerThanSpringAmqpConvertsIsStillReadAsText() {
		// Spring AMQP leaves values over 1024 bytes as the client's LongString.
		String trace = "x".repeat(2000);
		MessageProperties properties = new MessageProperties();
		properties.setMessageId("m-1");
		properties.setHeader("trace", LongStringHelper.asLongString(trace));
		properties.setHeader("tenant", "acme");
		InboundMessage inbound = RabbitMessages
			.inbound(new Message("{}".getBytes(StandardCharsets.UTF_8), properties), "user.created");
		assertThat(inbound.headers()).containsEntry("trace", trace).containsEntry("tenant", "acme");
	}

}
