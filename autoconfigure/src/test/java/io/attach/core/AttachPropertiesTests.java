package io.attach.core;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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

	@Test
	void whenHealthTimeoutIsRefusedThenTheErrorNamesTheProperty() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> this.properties.getHealth().setTimeout(Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("attach.health.timeout"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> this.properties.getHealth().setInterval(Duration.ofSeconds(-2)))
			.withMessageStartingWith("attach.health.interval is -2000ms");
	}

	@Test
	void whenRequiredResourcesAreListedThenTheyAreBound() {
		MockEnvironment environment = new MockEnvironment().withProperty("attach.require", "database,cache");
		AttachProperties bound = Binder.get(environment).bind("attach", AttachProperties.class).get();
		assertThat(bound.getRequire()).containsExactly("database", "cache");
		assertThat(this.properties.getRequire()).isEmpty();
	}

}
