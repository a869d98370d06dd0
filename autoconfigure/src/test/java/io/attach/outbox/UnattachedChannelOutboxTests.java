package io.attach.outbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.attach.core.AttachedResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link Outboxes#create(String, OutboxDelivery)}: the outbox of a channel whose work goes to no attached
 * resource, such as messages delivered in-process.
 *
 * @author attach
 */
class UnattachedChannelOutboxTests {

	@TempDir
	Path spool;

	@Test
	void channelWithoutAResourceDeliversWithMetricsAndNoBreaker() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		List<String> resources = new CopyOnWriteArrayList<>();
		OutboxMetrics[] metrics = new OutboxMetrics[1];
		OutboxBuilderCustomizer recorder = (builder) -> {
			resources.add(builder.getChannel() + "=" + builder.getResource().map(AttachedResource::name).orElse("none"));
			metrics[0] = new OutboxMetrics(builder.getChannel(), registry);
			builder.listener(metrics[0]);
		};
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setPollInterval(Duration.ofMillis(50));
		Outboxes outboxes = new Outboxes(() -> new FileOutboxStore(this.spool), properties, List.of(recorder));
		List<String> delivered = new CopyOnWriteArrayList<>();
		Outbox outbox = outboxes.create("messaging", () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) {
				delivered.add(item.id());
			}

			@Override
			public void close() {
			}

		});
		assertThat(outbox.getChannel()).isEqualTo("messaging");
		assertThat(resources).containsExactly("messaging=none");
		outbox.start();
		try {
			outbox.enqueue("m-1", new byte[] { 1 });
			await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("m-1"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> registry.find("attach.outbox.attempts")
					.tags("resource", "messaging", "outcome", "delivered")
					.counter()
					.count() == 1);
		}
		finally {
			outbox.stop();
		}
		assertThatIllegalStateException().isThrownBy(() -> outboxes.create("messaging", () -> null))
			.withMessageContaining("messaging has an outbox already");
	}

	@Test
	void onDemandOutboxIsNotStartedByTheContextButByItsFirstItem() {
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setPollInterval(Duration.ofMillis(50));
		Outboxes outboxes = new Outboxes(() -> new FileOutboxStore(this.spool), properties, List.of());
		List<String> delivered = new CopyOnWriteArrayList<>();
		Outbox outbox = outboxes.createOnDemand("messaging", () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) {
				delivered.add(item.id());
			}

			@Override
			public void close() {
			}

		});
		assertThat(outbox.isAutoStartup()).isFalse();
		assertThat(outbox.isRunning()).isFalse();
		try {
			outbox.enqueue("m-1", new byte[] { 1 });
			assertThat(outbox.isRunning()).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> delivered.contains("m-1"));
		}
		finally {
			outbox.stop();
		}
		assertThat(outbox.isRunning()).isFalse();
	}

	@Test
	void onDemandOutboxStoppedByTheContextIsNotStartedAgainByAnItem() {
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setPollInterval(Duration.ofMillis(50));
		Outboxes outboxes = new Outboxes(() -> new FileOutboxStore(this.spool), properties, List.of());
		Outbox outbox = outboxes.createOnDemand("messaging", () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) {
			}

			@Override
			public void close() {
			}

		});
		outbox.enqueue("m-1", new byte[] { 1 });
		assertThat(outbox.isRunning()).isTrue();
		outbox.stop();
		// Such as a handler publishing on a retry thread after the context stopped the outbox.
		outbox.enqueue("m-2", new byte[] { 2 });
		outbox.startOnDemand();
		assertThat(outbox.isRunning()).isFalse();
		// A context started again starts it as any lifecycle bean.
		outbox.start();
		try {
			assertThat(outbox.isRunning()).isTrue();
		}
		finally {
			outbox.stop();
		}
	}

}
