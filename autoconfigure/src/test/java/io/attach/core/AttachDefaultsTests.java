package io.attach.core;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AttachDefaults}.
 *
 * @author attach
 */
class AttachDefaultsTests {

	private final StandardEnvironment environment = new StandardEnvironment();

	@Test
	void whenDefaultsAreAddedTwiceThenBothAreKeptInOneSource() {
		AttachDefaults.add(this.environment, Map.of("a.one", "1"));
		AttachDefaults.add(this.environment, Map.of("a.two", "2"));
		assertThat(this.environment.getProperty("a.one")).isEqualTo("1");
		assertThat(this.environment.getProperty("a.two")).isEqualTo("2");
		assertThat(this.environment.getPropertySources().stream().filter((source) -> source.getName()
			.equals(AttachDefaults.NAME))).hasSize(1);
	}

	@Test
	void whenUserSetsAPropertyThenItWinsOverTheDefault() {
		this.environment.getPropertySources().addFirst(new MapPropertySource("user", Map.of("a.one", "mine")));
		AttachDefaults.add(this.environment, Map.of("a.one", "1"));
		assertThat(this.environment.getProperty("a.one")).isEqualTo("mine");
	}

}
