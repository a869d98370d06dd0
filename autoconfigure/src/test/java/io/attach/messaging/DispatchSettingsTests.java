package io.attach.messaging;

import java.time.Duration;
import java.util.List;

import io.attach.outbox.Backoff;
import io.attach.outbox.OutboxDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DispatchSettings}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class DispatchSettingsTests {

	private static final String WARNING = "Messaging consumes from a broker without an inbox";

	private static final Backoff backoff = new Backoff(Duration.ofSeconds(1), 2, Duration.ofMinutes(1));

	@Test
	void whenABrokerHasNoInboxThenItIsSaidWhy(CapturedOutput output) {
		HandlerDispatch.Settings settings = DispatchSettings.create(new Broker(), null, true, new JsonMapper(),
				backoff, 5, MessagingListener.NONE);
		assertThat(settings.inbox()).isNull();
		assertThat(output).contains(WARNING + " (the application has no single DataSource for it)")
			.contains("Make handlers idempotent");
		DispatchSettings.create(new Broker(), null, false, new JsonMapper(), backoff, 5, MessagingListener.NONE);
		assertThat(output).contains(WARNING + " (attach.messaging.inbox.enabled is false)");
	}

	@Test
	void whenTheBackendIsInProcessThereIsNoWarning(CapturedOutput output) {
		InProcessMessageBroker broker = new InProcessMessageBroker(() -> {
		});
		try {
			DispatchSettings.create(broker, null, true, new JsonMapper(), backoff, 5, MessagingListener.NONE);
			assertThat(output).doesNotContain(WARNING);
		}
		finally {
			broker.close();
		}
	}

	/**
	 * A broker backend other than the in-process one, as RabbitMQ's is.
	 */
	static final class Broker implements MessageBroker {

		@Override
		public OutboxDelivery delivery() {
			throw new UnsupportedOperationException();
		}

		@Override
		public AutoCloseable consume(String topic, String group, Dispatch dispatch) {
			throw new UnsupportedOperationException();
		}

		@Override
		public List<ParkedMessage> parked(int limit) {
			return List.of();
		}

		@Override
		public boolean requeue(String group, String id) {
			return false;
		}

		@Override
		public boolean discard(String group, String id) {
			return false;
		}

	}

}
