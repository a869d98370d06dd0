package io.attach.core;

import java.net.URLClassLoader;
import java.nio.file.Path;

import io.attach.testkind.LoaderOnlyResourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link AttachEnvironmentPostProcessor}.
 *
 * @author attach
 */
class AttachEnvironmentPostProcessorTests {

	private final MockEnvironment environment = new MockEnvironment();

	private final AttachEnvironmentPostProcessor postProcessor = new AttachEnvironmentPostProcessor();

	@Test
	void whenRequiredResourcesAreMissingThenEveryOneIsListed() {
		this.environment.setProperty("attach.require", "database,reports");
		assertThatExceptionOfType(MissingResourcesException.class)
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication()))
			.satisfies((ex) -> {
				assertThat(ex.getMissing()).extracting(ResourceDeclaration::name).containsExactly("database", "reports");
				FailureAnalysis analysis = new MissingResourcesFailureAnalyzer().analyze(ex);
				assertThat(analysis.getDescription()).contains("database: set DATABASE_URL")
					.contains("reports: set attach.resources.reports.url");
			});
	}

	@Test
	void whenRequiredResourceIsAttachedThenStartupGoesOn() {
		this.environment.setProperty("attach.require", "database");
		this.environment.setProperty("DATABASE_URL", "postgres://db/myapp");
		assertThatNoException()
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication()));
	}

	@Test
	void whenRequiredResourceIsDisabledThenItCountsAsMissing() {
		this.environment.setProperty("attach.require", "database");
		this.environment.setProperty("DATABASE_URL", "postgres://db/myapp");
		this.environment.setProperty("attach.resources.database.enabled", "false");
		assertThatExceptionOfType(MissingResourcesException.class)
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication()));
	}

	@Test
	void probesAreAlsoExposedOnTheMainPort() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
		assertThat(this.environment.getProperty("management.endpoint.health.probes.add-additional-paths"))
			.isEqualTo("true");
	}

	@Test
	void whenNothingAttachesOrConfiguresRedisThenBootsRedisCheckIsOff() {
		postProcess();
		assertThat(this.environment.getProperty("management.health.redis.enabled")).isEqualTo("false");
	}

	@ParameterizedTest
	@ValueSource(strings = { "REDIS_URL", "CACHE_URL", "spring.data.redis.host", "spring.data.redis.url",
			"spring.cache.type" })
	void whenRedisIsAttachedOrChosenThenBootsRedisCheckIsLeftAlone(String property) {
		this.environment.setProperty(property, property.endsWith("type") ? "redis" : "redis://cache:6379");
		postProcess();
		assertThat(this.environment.getProperty("management.health.redis.enabled")).isNull();
	}

	@Test
	void whenNothingIsAttachedThenBootsChecksOfConfiguredServicesAreLeftAlone() {
		// Boot checks a database or mail server only when one is configured: attach has no reason to turn it off.
		postProcess();
		assertThat(this.environment.getProperty("management.health.db.enabled")).isNull();
		assertThat(this.environment.getProperty("management.health.mail.enabled")).isNull();
	}

	@Test
	void whenMailBackendIsSmtpWithoutSmtpUrlThenStartupFailsBeforeAnyBeanIsCreated() {
		this.environment.setProperty("MAIL_BACKEND", "smtp");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::postProcess)
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("MAIL_BACKEND"));
	}

	@Test
	void whenMailBackendIsSmtpWithSmtpUrlThenStartupGoesOn() {
		this.environment.setProperty("MAIL_BACKEND", "SMTP");
		this.environment.setProperty("SMTP_URL", "smtp://mail:587");
		assertThatNoException().isThrownBy(this::postProcess);
	}

	@Test
	void whenSmtpUrlIsDisabledThenMailBackendSmtpFails() {
		this.environment.setProperty("MAIL_BACKEND", "smtp");
		this.environment.setProperty("SMTP_URL", "smtp://mail:587");
		this.environment.setProperty("attach.resources.mail.enabled", "false");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::postProcess);
	}

	@Test
	void whenMailBackendIsUnknownThenStartupFailsNamingThePropertyAndEveryBackend() {
		this.environment.setProperty("attach.mail.backend", "pigeon");
		this.environment.setProperty("MAIL_BACKEND", "console");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::postProcess)
			.withMessageStartingWith("attach.mail.backend is 'pigeon', which is not a mail backend")
			.withMessageContaining("'smtp'")
			.withMessageContaining("'console'");
	}

	@Test
	void whenTheApplicationsClassLoaderRegistersAKindThenItsUnusedBootCheckIsTurnedOff(@TempDir Path directory)
			throws Exception {
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(directory)) {
			this.postProcessor.postProcessEnvironment(this.environment, application(classLoader));
			assertThat(this.environment.getProperty("management.health.extra.enabled")).isEqualTo("false");
		}
	}

	@Test
	void whenTheApplicationsClassLoaderRegistersAKindThenItsBackendSettingIsChecked(@TempDir Path directory)
			throws Exception {
		this.environment.setProperty("EXTRA_BACKEND", "remote");
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(directory)) {
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> this.postProcessor.postProcessEnvironment(this.environment, application(classLoader)))
				.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("EXTRA_BACKEND"));
		}
	}

	@Test
	void whenAKindOfTheApplicationsClassLoaderIsRequiredAndItsVariableIsSetThenStartupGoesOn(@TempDir Path directory)
			throws Exception {
		this.environment.setProperty("attach.require", "extra");
		this.environment.setProperty("EXTRA_URL", "extra://server");
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(directory)) {
			assertThatNoException()
				.isThrownBy(() -> this.postProcessor.postProcessEnvironment(this.environment, application(classLoader)));
		}
	}

	@Test
	void invalidUrlAnalysisNamesTheSettingAndHidesThePassword() {
		InvalidResourceUrlException ex = new InvalidResourceUrlException("DATABASE_URL",
				"postgres://app:canary#secret@db/myapp", "has an unencoded '#' in its user info",
				"Percent-encode '#' in the password as %23.");
		FailureAnalysis analysis = new InvalidResourceUrlFailureAnalyzer().analyze(ex);
		assertThat(analysis.getDescription()).contains("DATABASE_URL")
			.contains("postgres://app:****@db/myapp")
			.doesNotContain("canary");
		assertThat(analysis.getAction()).startsWith("Fix DATABASE_URL.").contains("%23");
	}

	private static SpringApplication application(ClassLoader classLoader) {
		return new SpringApplication(new DefaultResourceLoader(classLoader));
	}

	private void postProcess() {
		this.postProcessor.postProcessEnvironment(this.environment, new SpringApplication());
	}

}
