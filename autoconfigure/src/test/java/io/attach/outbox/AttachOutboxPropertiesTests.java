package io.attach.outbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AttachOutboxProperties}' checks.
 *
 * @author attach
 */
class AttachOutboxPropertiesTests {

	@Test
	void theLingerIsFromZeroToAMinute() {
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setLinger(Duration.ZERO);
		assertThat(properties.getLinger()).isZero();
		properties.setLinger(Duration.ofMinutes(1));
		assertThatIllegalArgumentException().isThrownBy(() -> properties.setLinger(Duration.ofMillis(-1)))
			.withMessageContaining("attach.outbox.linger");
		// Far past anything useful, where the relay's nanosecond arithmetic would overflow.
		assertThatIllegalArgumentException().isThrownBy(() -> properties.setLinger(Duration.ofDays(365 * 300)))
			.withMessageContaining("attach.outbox.linger");
	}

}
