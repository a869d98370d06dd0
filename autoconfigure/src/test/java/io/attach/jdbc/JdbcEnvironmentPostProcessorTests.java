package io.attach.jdbc;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcEnvironmentPostProcessor}.
 *
 * @author attach
 */
class JdbcEnvironmentPostProcessorTests {

	private final MockEnvironment environment = new MockEnvironment();

	private final JdbcEnvironmentPostProcessor postProcessor = new JdbcEnvironmentPostProcessor();

	@Test
	void whenDatabaseIsAttachedThenPoolAcquireTimeoutIsFiniteAndBootDbCheckIsReplaced() {
		this.environment.setProperty("DATABASE_URL", "postgres://db/myapp");
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.datasource.hikari.connection-timeout")).isEqualTo("5s");
		assertThat(this.environment.getProperty("management.health.db.enabled")).isEqualTo("false");
	}

	@Test
	void whenUserSetsPoolAcquireTimeoutThenItWins() {
		this.environment.setProperty("DATABASE_URL", "postgres://db/myapp");
		this.environment.setProperty("spring.datasource.hikari.connection-timeout", "2s");
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.datasource.hikari.connection-timeout")).isEqualTo("2s");
	}

	@Test
	void whenNothingIsAttachedThenNothingIsDefaulted() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("spring.datasource.hikari.connection-timeout")).isNull();
		assertThat(this.environment.getProperty("management.health.db.enabled")).isNull();
	}

}
