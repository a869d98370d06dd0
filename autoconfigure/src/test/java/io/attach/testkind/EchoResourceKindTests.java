package io.attach.testkind;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResources;
import io.attach.core.MissingResourcesException;
import io.attach.core.ReadinessRole;
import io.attach.core.UrlRedactor;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that {@link EchoResourceKind}, a kind defined only in this test package and registered in the test
 * {@code META-INF/spring.factories}, gets health, readiness, redaction, {@code attach.require} and breaker defaults
 * from its descriptor alone.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class EchoResourceKindTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				EchoHealthAttachAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
				HealthEndpointAutoConfiguration.class))
		.withPropertyValues("ECHO_URL=echo://echo.internal:7");

	@Test
	void whenEchoUrlIsSetThenTheEchoResourceIsAttachedAndCheckedInTheBackground(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			assertThat(context.getBean(AttachedResources.class).get("echo")).hasValueSatisfying(
					(resource) -> assertThat(resource.kind()).isInstanceOf(EchoResourceKind.class));
			assertThat(context).getBean("echoHealthContributor").isInstanceOf(MonitoredHealthIndicator.class);
			Health health = context.getBean("echoHealthContributor", MonitoredHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("host", "echo.internal");
		});
		assertThat(output).contains("Attached echo (echo) from ECHO_URL: echo://echo.internal:7 [readiness: required]");
	}

	@Test
	void whenOnlyTheAliasIsSetThenTheEchoResourceIsAttachedFromIt() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class))
			.withPropertyValues("ECHO_SERVICE_URL=echo://echo.internal:7")
			.run((context) -> assertThat(context.getBean(AttachedResources.class).get("echo").orElseThrow().setting())
				.isEqualTo("ECHO_SERVICE_URL"));
	}

	@Test
	void whenTheKindsHealthSwitchIsOffThenEchoIsNotChecked() {
		this.contextRunner.withPropertyValues("management.health.echo.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class));
	}

	@Test
	void whenEchoIsAttachedThenReadinessWaitsForItAsItsKindSays() {
		this.contextRunner.run((context) -> assertThat(context.getBean(HealthEndpointGroups.class).get("readiness"))
			.satisfies((readiness) -> assertThat(readiness.isMember("echo")).isTrue()));
		this.contextRunner.withPropertyValues("attach.resources.echo.readiness=degradable").run((context) -> {
			assertThat(context.getBean(AttachedResources.class).get("echo").orElseThrow().readiness())
				.isEqualTo(ReadinessRole.DEGRADABLE);
			assertThat(context.getBean(HealthEndpointGroups.class).get("readiness").isMember("echo")).isFalse();
		});
	}

	@Test
	void whenEchoUrlHoldsALoneTokenThenItIsMaskedAsTheKindSays(CapturedOutput output) {
		assertThat(UrlRedactor.redact("ECHO_URL", "echo://canary-token@echo.internal:7"))
			.isEqualTo("echo://****@echo.internal:7");
		this.contextRunner.withPropertyValues("ECHO_URL=echo://canary-token@echo.internal:7")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("from ECHO_URL: echo://****@echo.internal:7").doesNotContain("canary");
	}

	@Test
	void whenEchoUrlHoldsAUserAndAPasswordThenTheUserIsShownForTheKindsSettingsOnly() {
		assertThat(UrlRedactor.redact("ECHO_SERVICE_URL", "echo://app:canary@echo.internal"))
			.isEqualTo("echo://app:****@echo.internal");
		assertThat(UrlRedactor.redact("attach.resources.echo.url", "echo://app:canary@echo.internal"))
			.isEqualTo("echo://app:****@echo.internal");
		assertThat(UrlRedactor.redact("SOME_OTHER_URL", "echo://app:canary@echo.internal"))
			.isEqualTo("echo://****:****@echo.internal");
	}

	@Test
	void whenEchoIsRequiredButNotSetThenStartupFailsNamingItsVariables() {
		assertThatExceptionOfType(MissingResourcesException.class).isThrownBy(() -> start("--attach.require=echo"))
			.withMessageContaining("echo (set ECHO_URL or ECHO_SERVICE_URL (or attach.resources.echo.url))");
	}

	@Test
	void whenEchoIsAttachedThenItsBreakerGetsAttachDefaults() {
		String prefix = "resilience4j.circuitbreaker.instances.echo.";
		try (ConfigurableApplicationContext context = start("--attach.require=echo",
				"--ECHO_URL=echo://echo.internal:7")) {
			assertThat(context.getEnvironment().getProperty(prefix + "sliding-window-size")).isEqualTo("5");
			assertThat(context.getEnvironment().getProperty(prefix + "wait-duration-in-open-state")).isEqualTo("5000ms");
		}
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getEnvironment().getProperty(prefix + "sliding-window-size")).isNull();
		}
	}

	private static ConfigurableApplicationContext start(String... args) {
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		return application.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
