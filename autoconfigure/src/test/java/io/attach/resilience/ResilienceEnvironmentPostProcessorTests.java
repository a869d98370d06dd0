package io.attach.resilience;

import java.net.URLClassLoader;
import java.nio.file.Path;

import io.attach.testkind.LoaderOnlyResourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResilienceEnvironmentPostProcessor}.
 *
 * @author attach
 */
class ResilienceEnvironmentPostProcessorTests {

	private static final String PREFIX = "resilience4j.circuitbreaker.instances.cache.";

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void whenCacheIsAttachedThenItsBreakerGetsAttachDefaults() {
		this.environment.setProperty("REDIS_URL", "redis://cache:6379");
		new ResilienceEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty(PREFIX + "sliding-window-size")).isEqualTo("5");
		assertThat(this.environment.getProperty(PREFIX + "wait-duration-in-open-state")).isEqualTo("5000ms");
	}

	@Test
	void whenMailIsAttachedThenItsRelayBreakerGetsAttachDefaults() {
		this.environment.setProperty("SMTP_URL", "smtp://mail:587");
		new ResilienceEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("resilience4j.circuitbreaker.instances.mail.sliding-window-size"))
			.isEqualTo("5");
	}

	@Test
	void whenUserSetsOneSettingThenTheOthersKeepAttachDefaults() {
		this.environment.setProperty("REDIS_URL", "redis://cache:6379");
		this.environment.setProperty(PREFIX + "wait-duration-in-open-state", "30s");
		new ResilienceEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty(PREFIX + "wait-duration-in-open-state")).isEqualTo("30s");
		assertThat(this.environment.getProperty(PREFIX + "sliding-window-size")).isEqualTo("5");
		// A caller's own interrupt says nothing about the resource.
		assertThat(this.environment.getProperty(PREFIX + "ignore-exception-predicate"))
			.isEqualTo(InterruptedCalls.class.getName());
	}

	@Test
	void whenAGuardedKindOfTheApplicationsClassLoaderIsAttachedThenItsBreakerGetsAttachDefaults(
			@TempDir Path directory) throws Exception {
		this.environment.setProperty("EXTRA_URL", "extra://server");
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(directory)) {
			new ResilienceEnvironmentPostProcessor().postProcessEnvironment(this.environment,
					new SpringApplication(new DefaultResourceLoader(classLoader)));
		}
		assertThat(this.environment.getProperty("resilience4j.circuitbreaker.instances.extra.sliding-window-size"))
			.isEqualTo("5");
	}

	@Test
	void whenNothingIsAttachedThenNoBreakerIsConfigured() {
		new ResilienceEnvironmentPostProcessor().postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty(PREFIX + "sliding-window-size")).isNull();
		assertThat(this.environment.getProperty("resilience4j.circuitbreaker.instances.database.sliding-window-size"))
			.isNull();
	}

}
