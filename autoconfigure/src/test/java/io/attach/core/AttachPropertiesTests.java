package io.attach.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AttachProperties}.
 *
 * @author attach
 */
class AttachPropertiesTests {

	private final AttachProperties properties = new AttachProperties();

	@Test
	void whenHealthTimeoutIsZeroOrNegativeThenItIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.properties.getHealth().setTimeout(Duration.ZERO))
			.withMessageContaining("attach never waits forever");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.properties.getHealth().setTimeout(Duration.ofMillis(-1)));
	}

	@Test
	void whenHealthIntervalIsZeroThenItIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.properties.getHealth().setInterval(Duration.ZERO));
	}

}
