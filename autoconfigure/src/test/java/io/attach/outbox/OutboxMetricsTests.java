package io.attach.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OutboxMetrics}.
 *
 * @author attach
 */
class OutboxMetricsTests {

	@Test
	void whenItemsBelongToNoApplicationThenTheirCountIsAGauge() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new OutboxMetrics("mail", registry).bindStats(() -> new OutboxStats(2, 1, null, 3));
		assertThat(registry.get("attach.outbox.unassigned").tag("resource", "mail").gauge().value()).isEqualTo(3);
		assertThat(registry.get("attach.outbox.queued").tag("resource", "mail").gauge().value()).isEqualTo(2);
	}

}
