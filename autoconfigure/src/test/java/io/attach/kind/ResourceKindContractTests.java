package io.attach.kind;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResources;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import org.jspecify.annotations.Nullable;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.beans.BeansEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.condition.ConditionsReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.logging.LoggersEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.servlet.autoconfigure.actuate.web.ServletManagementContextAutoConfiguration;
import org.springframework.boot.support.EnvironmentPostProcessorsFactory;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.actuate.endpoint.web.WebMvcHealthEndpointExtensionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every resource kind passes, whatever service it attaches: run by one subclass per kind, in the kind's
 * own test package, which states the kind's facts (its variables, resource name, URLs, beans and Boot's check).
 * <p>
 * It tests what a user sees: beans, properties, log lines, the failure report and the actuator endpoints. Valid URLs
 * carry a canary password and point at a closed loopback port, so nothing is ever reached.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class ResourceKindContractTests {

	/**
	 * The password every URL of the contract carries, which must never be shown.
	 */
	protected static final String CANARY = "C4n4ry-p4ss";

	// What must never appear, whichever way the URL spelled the password; compared ignoring case, since percent
	// encoding has two cases of hex digits.
	private static final List<String> CANARY_FRAGMENTS = List.of("4n4ry", "p4ss", "%34%6e%34%72");

	private static final String SERVICE_CONNECTION_AUTO_CONFIGURATION = "org.springframework.boot.testcontainers."
			+ "service.connection.ServiceConnectionAutoConfiguration";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final int CLOSED_PORT = closedLoopbackPort();

	/**
	 * The ways a URL may spell the canary password: as is, with its {@code -} percent-encoded, and every character
	 * percent-encoded.
	 * @return the spellings, as they go into a URL's user info
	 */
	static List<String> canarySpellings() {
		return List.of(CANARY, "C4n4ry%2Dp4ss", "%43%34%6E%34%72%79%2D%70%34%73%73");
	}

	/**
	 * Returns the variables the kind's URL is read from, the preferred one first, such as {@code DATABASE_URL}.
	 * @return the variable names
	 */
	protected abstract List<String> variables();

	/**
	 * Returns the name of the kind's well-known resource, the key under {@code attach.resources}.
	 * @return the resource name, such as {@code database}
	 */
	protected abstract String resourceName();

	/**
	 * Returns a valid URL of the kind that points at {@link #closedPort()} on the loopback address.
	 * @param password the password, as it goes into the URL's user info (possibly percent-encoded)
	 * @return the URL
	 */
	protected abstract String url(String password);

	/**
	 * Returns a URL with the given password and a scheme the kind does not accept.
	 * @param password the password, as it goes into the URL's user info
	 * @return the URL
	 */
	protected abstract String wrongSchemeUrl(String password);

	/**
	 * Returns the type of the bean attach builds from the URL, such as its {@code JdbcConnectionDetails}.
	 * @return the type
	 */
	protected abstract Class<?> attachedType();

	/**
	 * Returns the type a user's own bean (or a {@code @ServiceConnection}) takes precedence with.
	 * @return the type, a {@link ConnectionDetails} type where Boot has one
	 */
	protected abstract Class<?> userType();

	/**
	 * Returns a bean of {@link #userType()} that must win over the URL.
	 * @return the user's bean
	 */
	protected abstract Object userBean();

	/**
	 * Returns the auto-configuration that builds {@link #attachedType()}.
	 * @return the auto-configuration class
	 */
	protected abstract Class<?> attachAutoConfiguration();

	/**
	 * Returns attach's and Boot's auto-configurations of the kind, its health checks included. Attach's core,
	 * health and resilience, and Boot's actuator are loaded by the contract.
	 * @return the auto-configurations
	 */
	protected abstract AutoConfigurations autoConfigurations();

	/**
	 * Returns the password the attached bean holds, decoded from the URL.
	 * @param context the running context
	 * @return the password
	 */
	protected abstract @Nullable String attachedPassword(ConfigurableApplicationContext context);

	/**
	 * Returns the name of Boot's own health indicator for the kind, such as {@code db}.
	 * @return the indicator name
	 */
	protected abstract String bootIndicator();

	/**
	 * Tells whether Boot, with nothing set, configures the kind from the classpath alone (an embedded database) and
	 * checks that. Otherwise Boot's check must be absent when nothing is attached, so that it never probes a server
	 * nobody configured.
	 * @return whether Boot checks a default of its own
	 */
	protected boolean bootConfiguresAnEmbeddedDefault() {
		return false;
	}

	/**
	 * Returns the readiness role the kind's resource gets unless configured otherwise.
	 * @return {@code required}, {@code degradable} or {@code ignored}
	 */
	protected abstract String defaultReadiness();

	/**
	 * Tells whether the kind's resource gets attach's circuit-breaker defaults.
	 * @return whether the kind is guarded
	 */
	protected abstract boolean guarded();

	/**
	 * Returns further properties every context of the contract needs, such as a spool directory.
	 * @return the properties, as {@code key=value}
	 */
	protected List<String> properties() {
		return List.of();
	}

	/**
	 * Returns a loopback port nothing listens on.
	 * @return the port
	 */
	protected static int closedPort() {
		return CLOSED_PORT;
	}

	@Test
	void theKindsDescriptorDeclaresWhatThisContractExpects() {
		ResourceKind kind = ResourceKinds.named(resourceName()).orElseThrow(
				() -> new AssertionError("No kind descriptor is registered for resource '" + resourceName() + "'"));
		assertThat(kind.variables()).isEqualTo(variables());
		assertThat(kind.defaultRole().name()).isEqualToIgnoringCase(defaultReadiness());
		assertThat(kind.guarded()).isEqualTo(guarded());
		assertThat(kind.bootHealthIndicator()).contains(bootIndicator());
		assertThat(kind.schemes()).contains(ResourceUrl.of(variables().get(0), url(CANARY)).scheme());
		assertThat(kind.schemes()).doesNotContain(ResourceUrl.of(variables().get(0), wrongSchemeUrl(CANARY)).scheme());
	}

	@Test
	void whenNothingIsSetThenTheKindBacksOffAndCostsNothing(CapturedOutput output) {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertNotAttached(context);
			assertThat(breakerDefaults(context)).isEmpty();
		});
		assertThat(output).doesNotContain("Attached " + resourceName() + " (");
	}

	@Test
	void whenUrlIsSetThenAttachBuildsTheBeanWithoutConnecting(CapturedOutput output) {
		runner().withPropertyValues(variable() + "=" + url(CANARY)).run((context) -> {
			// Nothing listens on the port: the bean is built from the URL alone, without waiting for the server.
			assertThat(context).hasNotFailed().hasSingleBean(attachedType());
			assertThat(context.getBean(userType())).isInstanceOf(attachedType());
			assertThat(context.getBean(AttachedResources.class).get(resourceName())).isPresent();
		});
		assertThat(output).contains("Attached " + resourceName() + " (")
			.contains("from " + variable())
			.doesNotContain("takes precedence");
	}

	@ParameterizedTest
	@MethodSource("canarySpellings")
	void whenAnySettingHoldsThePasswordHoweverEncodedThenTheBeanHoldsItDecoded(String password) {
		List<String> settings = new ArrayList<>(variables());
		settings.add("attach.resources." + resourceName() + ".url");
		for (String setting : settings) {
			runner().withPropertyValues(setting + "=" + url(password)).run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(attachedType());
				assertThat(attachedPassword(context)).isEqualTo(CANARY);
			});
		}
	}

	@Test
	void whenUserDefinesTheBeanThenItWinsAndTheStartupLineSaysSo(CapturedOutput output) {
		Object user = userBean();
		withUserBean(runner(), user).withPropertyValues(variable() + "=" + url(CANARY)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(attachedType());
			assertThat(context.getBean(userType())).isSameAs(user);
		});
		assertThat(output).contains(variable() + " is set, but the " + user.getClass().getName()
				+ " bean takes precedence: " + resourceName() + " does not use " + variable());
	}

	@Test
	void whenBootHasConnectionDetailsForTheKindThenAServiceConnectionIsAppliedFirst() {
		// A @ServiceConnection is a ConnectionDetails bean of Boot's ServiceConnectionAutoConfiguration; attach's bean
		// backs off for it only when attach's auto-configuration is ordered after it.
		List<String> after = Arrays.asList(MergedAnnotations.from(attachAutoConfiguration())
			.get(AutoConfiguration.class)
			.getStringArray("afterName"));
		if (ConnectionDetails.class.isAssignableFrom(userType())) {
			assertThat(after).contains(SERVICE_CONNECTION_AUTO_CONFIGURATION);
		}
		else {
			assertThat(ConnectionDetails.class.isAssignableFrom(attachedType())).isFalse();
		}
	}

	@Test
	void whenResourceIsDisabledThenItsUrlIsIgnored(CapturedOutput output) {
		runner().withPropertyValues(variable() + "=" + url(CANARY), enabled(false)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertNotAttached(context);
			assertThat(breakerDefaults(context)).isEmpty();
		});
		assertThat(output).contains("Not attaching " + resourceName() + ": attach.resources." + resourceName()
				+ ".enabled is false");
	}

	@ParameterizedTest
	@MethodSource("canarySpellings")
	void whenUrlHasAWrongSchemeThenStartupFailsNamingTheSettingButNotThePassword(String password) {
		runner().withPropertyValues(variable() + "=" + wrongSchemeUrl(password)).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).startsWith(variable());
			assertThat(analysis.getAction()).startsWith("Fix " + variable() + ".");
			assertNoCanary(analysis.getDescription() + analysis.getAction());
			assertNoCanary(stackTrace(context.getStartupFailure()));
		});
	}

	@ParameterizedTest
	@MethodSource("canarySpellings")
	void whenAttachedThenNoLogLineAndNoEndpointShowsThePassword(String password, CapturedOutput output) {
		exposed().withPropertyValues(variable() + "=" + url(password)).run((context) -> {
			assertThat(context).hasNotFailed();
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			List<String> paths = endpointPaths(mvc);
			assertThat(paths).contains("/actuator/attachments", "/actuator/env", "/actuator/health",
					"/actuator/configprops");
			for (String path : paths) {
				MockHttpServletResponse response = get(mvc, path);
				assertThat(response.getStatus()).as(path).isIn(200, 503);
				assertNoCanary(response.getContentAsString());
			}
			// Shown, but with the password masked: the endpoints show what the resource is.
			String attachments = get(mvc, "/actuator/attachments").getContentAsString();
			assertThat(attachments).contains("\"" + resourceName() + "\"").contains("127.0.0.1");
			for (String variable : List.of(variable(), "attach.resources." + resourceName() + ".url")) {
				MockHttpServletResponse single = get(mvc, "/actuator/env/" + variable);
				assertNoCanary(single.getContentAsString());
			}
			assertThat(get(mvc, "/actuator/env/" + variable()).getContentAsString()).contains("127.0.0.1");
			assertNoCanary(get(mvc, "/actuator/health/" + resourceName()).getContentAsString());
		});
		// The startup line, and the health check's line about the closed port, are in the log by now.
		assertThat(output).contains("Attached " + resourceName() + " (").contains(") is DOWN");
		assertNoCanary(output.getAll());
	}

	@Test
	void whenAttachedThenAttachsCheckReplacesBoots() {
		exposed().withPropertyValues(variable() + "=" + url(CANARY)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(bootIndicator() + "HealthContributor")
				.isInstanceOf(MonitoredHealthIndicator.class);
			JsonNode components = json
				.readTree(get(MockMvcBuilders.webAppContextSetup(context).build(), "/actuator/health")
					.getContentAsString())
				.path("components");
			assertThat(components.has(resourceName())).isTrue();
			// Boot's check under its own name would be a second, unbounded check of the same server.
			if (!bootIndicator().equals(resourceName())) {
				assertThat(components.has(bootIndicator())).isFalse();
			}
		});
	}

	@Test
	void whenNothingIsAttachedThenBootsCheckProbesNoServerNobodyConfigured() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(MonitoredHealthIndicator.class);
			if (bootConfiguresAnEmbeddedDefault()) {
				assertThat(context).getBean(bootIndicator() + "HealthContributor")
					.isNotInstanceOf(MonitoredHealthIndicator.class);
			}
			else {
				assertThat(context).doesNotHaveBean(bootIndicator() + "HealthContributor");
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "required", "degradable", "ignored" })
	void whenResourceIsDownThenReadinessFollowsItsRole(String configured) {
		String role = configured.isEmpty() ? defaultReadiness() : configured;
		WebApplicationContextRunner runner = exposed().withPropertyValues(variable() + "=" + url(CANARY));
		if (!configured.isEmpty()) {
			runner = runner.withPropertyValues("attach.resources." + resourceName() + ".readiness=" + configured);
		}
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			// Started and accepting traffic, as after ApplicationReadyEvent: only the resource can make it not ready.
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
			// The port is closed: the resource is DOWN, or UNKNOWN when it is not to be checked.
			JsonNode resource = json.readTree(get(mvc, "/actuator/health/" + resourceName()).getContentAsString());
			assertThat(resource.path("status").asString()).isEqualTo(role.equals("ignored") ? "UNKNOWN" : "DOWN");
			MockHttpServletResponse readiness = get(mvc, "/actuator/health/readiness");
			JsonNode group = json.readTree(readiness.getContentAsString());
			assertThat(group.path("components").path("readinessState").path("status").asString()).isEqualTo("UP");
			assertThat(group.path("components").has(resourceName())).isEqualTo(role.equals("required"));
			assertThat(readiness.getStatus()).isEqualTo(role.equals("required") ? 503 : 200);
			JsonNode attachments = json.readTree(get(mvc, "/actuator/attachments").getContentAsString());
			assertThat(attachments.path("resources").get(0).path("readiness").asString()).isEqualTo(role);
		});
	}

	@Test
	void whenAttachedThenBreakerDefaultsAreWrittenIfTheKindIsGuarded() {
		String prefix = "resilience4j.circuitbreaker.instances." + resourceName() + ".";
		runner().withPropertyValues(variable() + "=" + url(CANARY), prefix + "wait-duration-in-open-state=30s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				if (guarded()) {
					assertThat(breakerDefaults(context)).containsEntry(prefix + "sliding-window-size", 5)
						.containsEntry(prefix + "minimum-number-of-calls", 5)
						.containsKey(prefix + "ignore-exception-predicate");
					// The user's setting wins and keeps attach's others.
					assertThat(context.getEnvironment().getProperty(prefix + "wait-duration-in-open-state"))
						.isEqualTo("30s");
					assertThat(context.getEnvironment().getProperty(prefix + "sliding-window-size")).isEqualTo("5");
				}
				else {
					assertThat(breakerDefaults(context)).isEmpty();
				}
			});
	}

	@Test
	void whenRequiredResourceIsMissingThenStartupFailsNamingItsVariables() {
		runner().withPropertyValues("attach.require=" + resourceName()).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains(resourceName())
				.contains(variables())
				.contains("attach.resources." + resourceName() + ".url");
		});
		runner().withPropertyValues("attach.require=" + resourceName(), variable() + "=" + url(CANARY))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private String variable() {
		return variables().get(0);
	}

	private String enabled(boolean enabled) {
		return "attach.resources." + resourceName() + ".enabled=" + enabled;
	}

	private void assertNotAttached(AssertableWebApplicationContext context) {
		assertThat(context).doesNotHaveBean(attachedType());
		assertThat(context.getBean(AttachedResources.class).get(resourceName())).isEmpty();
		assertThat(context.getBeansOfType(MonitoredHealthIndicator.class).values())
			.noneMatch((indicator) -> indicator.getResource().name().equals(resourceName()));
	}

	/**
	 * Returns a context runner with the kind's auto-configurations, attach's environment post-processors applied as
	 * Spring Boot applies them.
	 * @return the runner
	 */
	protected WebApplicationContextRunner runner() {
		return new WebApplicationContextRunner().withInitializer(ResourceKindContractTests::postProcessEnvironment)
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, HealthAttachAutoConfiguration.class,
					ResilienceAttachAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
					JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
					WebMvcAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
					EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
					JacksonEndpointAutoConfiguration.class, ManagementContextAutoConfiguration.class,
					ServletManagementContextAutoConfiguration.class, HealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
					AvailabilityHealthContributorAutoConfiguration.class, AvailabilityProbesAutoConfiguration.class,
					WebMvcHealthEndpointExtensionAutoConfiguration.class, EnvironmentEndpointAutoConfiguration.class,
					ConfigurationPropertiesReportEndpointAutoConfiguration.class,
					BeansEndpointAutoConfiguration.class, ConditionsReportEndpointAutoConfiguration.class,
					InfoEndpointAutoConfiguration.class, LoggersEndpointAutoConfiguration.class))
			.withConfiguration(autoConfigurations())
			.withPropertyValues("management.endpoint.health.probes.enabled=true")
			.withPropertyValues(properties().toArray(String[]::new));
	}

	// Every endpoint exposed, with every value and detail shown: redaction must not rely on values being hidden.
	private WebApplicationContextRunner exposed() {
		return runner().withPropertyValues("management.endpoints.web.exposure.include=*",
				"management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always",
				"management.endpoint.health.show-details=always", "management.endpoint.health.show-components=always");
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private WebApplicationContextRunner withUserBean(WebApplicationContextRunner runner, Object bean) {
		return runner.withBean((Class) userType(), () -> bean);
	}

	private static void postProcessEnvironment(ConfigurableApplicationContext context) {
		SpringApplication application = new SpringApplication();
		application.setResourceLoader(new DefaultResourceLoader(context.getClassLoader()));
		EnvironmentPostProcessorsFactory.fromSpringFactories(context.getClassLoader())
			.getEnvironmentPostProcessors((log) -> log.get(), new DefaultBootstrapContext())
			.stream()
			.filter((postProcessor) -> postProcessor.getClass().getName().startsWith("io.attach."))
			.forEach((postProcessor) -> postProcessor.postProcessEnvironment(context.getEnvironment(), application));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> breakerDefaults(ConfigurableApplicationContext context) {
		PropertySource<?> defaults = context.getEnvironment().getPropertySources().get("attachDefaults");
		if (defaults == null) {
			return Map.of();
		}
		return ((Map<String, Object>) defaults.getSource()).entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("resilience4j.circuitbreaker."))
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	// What Spring Boot shows for a failed startup: the first analysis any registered analyzer makes.
	private static FailureAnalysis analyze(Throwable failure) {
		ArgumentResolver arguments = ArgumentResolver.of(BeanFactory.class, new DefaultListableBeanFactory())
			.and(Environment.class, new StandardEnvironment());
		List<FailureAnalyzer> analyzers = SpringFactoriesLoader
			.forDefaultResourceLocation(ResourceKindContractTests.class.getClassLoader())
			.load(FailureAnalyzer.class, arguments, FailureHandler.handleMessage((message, ex) -> {
			}));
		return analyzers.stream()
			.map((analyzer) -> analyzer.analyze(failure))
			.filter(Objects::nonNull)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No failure analysis for " + failure));
	}

	private static List<String> endpointPaths(MockMvc mvc) throws Exception {
		JsonNode links = json.readTree(get(mvc, "/actuator").getContentAsString()).path("_links");
		List<String> paths = new ArrayList<>();
		for (var link : links.properties()) {
			if (!link.getValue().path("templated").asBoolean()) {
				paths.add(link.getValue().path("href").asString().replace("http://localhost", ""));
			}
		}
		return paths;
	}

	private static MockHttpServletResponse get(MockMvc mvc, String path) throws Exception {
		return mvc.perform(MockMvcRequestBuilders.get(path)).andReturn().getResponse();
	}

	private static String stackTrace(Throwable failure) {
		StringWriter text = new StringWriter();
		failure.printStackTrace(new PrintWriter(text));
		return text.toString();
	}

	private static void assertNoCanary(String text) {
		for (String fragment : CANARY_FRAGMENTS) {
			assertThat(text).doesNotContainIgnoringCase(fragment);
		}
	}

	private static int closedLoopbackPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
