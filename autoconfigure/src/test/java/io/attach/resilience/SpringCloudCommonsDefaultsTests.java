package io.attach.resilience;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.asm.ClassWriter;
import org.springframework.asm.Opcodes;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.CommonsClientAutoConfiguration;
import org.springframework.cloud.client.actuator.FeaturesEndpoint;
import org.springframework.cloud.client.discovery.composite.CompositeDiscoveryClientAutoConfiguration;
import org.springframework.cloud.client.discovery.health.DiscoveryCompositeHealthContributor;
import org.springframework.cloud.client.discovery.health.DiscoveryHealthIndicator;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryClientAutoConfiguration;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SpringCloudCommonsDefaults}, through {@link ResilienceEnvironmentPostProcessor}.
 *
 * @author attach
 */
class SpringCloudCommonsDefaultsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(UtilAutoConfiguration.class, SimpleDiscoveryClientAutoConfiguration.class,
				CompositeDiscoveryClientAutoConfiguration.class, CommonsClientAutoConfiguration.class))
		// Boot creates an endpoint only where it is exposed.
		.withPropertyValues("management.endpoints.web.exposure.include=*");

	@Test
	void whenTheStarterAloneBringsSpringCloudThenCommonsAddsNoHealthEntryNorEndpoint() {
		this.contextRunner.withInitializer((context) -> new ResilienceEnvironmentPostProcessor()
			.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(DiscoveryCompositeHealthContributor.class);
				assertThat(context).doesNotHaveBean(DiscoveryHealthIndicator.class);
				assertThat(context).doesNotHaveBean(FeaturesEndpoint.class);
			});
	}

	@Test
	void withoutTheDefaultsCommonsAddsTheHealthEntryAndTheEndpoint() {
		// What the defaults turn off, so that the test above cannot pass by configuring too little.
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(DiscoveryCompositeHealthContributor.class);
			assertThat(context).hasSingleBean(FeaturesEndpoint.class);
		});
	}

	@Test
	void whenUserSetsTheCompositeIndicatorThenItWins() {
		this.contextRunner.withPropertyValues("spring.cloud.discovery.client.composite-indicator.enabled=true",
				"spring.cloud.discovery.client.health-indicator.enabled=true")
			.withInitializer((context) -> new ResilienceEnvironmentPostProcessor()
				.postProcessEnvironment(context.getEnvironment(), new SpringApplication()))
			.run((context) -> {
				assertThat(context).hasSingleBean(DiscoveryCompositeHealthContributor.class);
				assertThat(context).doesNotHaveBean(FeaturesEndpoint.class);
			});
	}

	@Test
	void whenSpringCloudContextIsPresentThenSpringCloudKeepsItsOwnDefaults() {
		assertThat(SpringCloudCommonsDefaults.properties(new SpringCloudContextClassLoader())).isEmpty();
	}

	@Test
	void whenSpringCloudCommonsIsAbsentThenNothingIsDefaulted() {
		ClassLoader classLoader = new FilteredClassLoader("org.springframework.cloud.client");
		assertThat(SpringCloudCommonsDefaults.properties(classLoader)).isEmpty();
	}

	@Test
	void whenOnlyCommonsIsPresentThenEachDefaultIsOff() {
		Map<String, Object> properties = SpringCloudCommonsDefaults.properties(getClass().getClassLoader());
		assertThat(properties).containsOnlyKeys("spring.cloud.discovery.client.composite-indicator.enabled",
				"spring.cloud.discovery.client.health-indicator.enabled", "spring.cloud.features.enabled");
		assertThat(properties).allSatisfy((name, value) -> assertThat(value).isEqualTo("false"));
	}

	@Test
	void whenTheApplicationsClassLoaderSeesSpringCloudContextThenNothingIsDefaulted() {
		MockEnvironment environment = new MockEnvironment();
		new ResilienceEnvironmentPostProcessor().postProcessEnvironment(environment,
				new SpringApplication(new DefaultResourceLoader(new SpringCloudContextClassLoader())));
		assertThat(environment.getProperty("spring.cloud.features.enabled")).isNull();
	}

	/**
	 * A class loader that also sees an (empty) class of Spring Cloud Context's, as an application that brings Spring
	 * Cloud itself does.
	 */
	private static final class SpringCloudContextClassLoader extends ClassLoader {

		SpringCloudContextClassLoader() {
			super(SpringCloudCommonsDefaultsTests.class.getClassLoader());
		}

		@Override
		protected Class<?> findClass(String name) throws ClassNotFoundException {
			if (!name.equals(SpringCloudCommonsDefaults.CONTEXT)) {
				throw new ClassNotFoundException(name);
			}
			ClassWriter writer = new ClassWriter(0);
			writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name.replace('.', '/'), null, "java/lang/Object", null);
			writer.visitEnd();
			byte[] bytes = writer.toByteArray();
			return defineClass(name, bytes, 0, bytes.length);
		}

	}

}
