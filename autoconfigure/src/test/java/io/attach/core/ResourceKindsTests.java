package io.attach.core;

import java.net.URLClassLoader;
import java.nio.file.Path;

import io.attach.testkind.LoaderOnlyResourceKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResourceKinds} and the conditions that look kinds up, with a class loader that registers a kind
 * attach's own class loader does not see.
 *
 * @author attach
 */
class ResourceKindsTests {

	@TempDir
	Path directory;

	@Test
	void whenAClassLoaderRegistersAnotherKindThenItIsFoundThroughThatLoaderOnly() throws Exception {
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(this.directory)) {
			assertThat(ResourceKinds.named(classLoader, "extra")).get().isInstanceOf(LoaderOnlyResourceKind.class);
			assertThat(ResourceKinds.all(classLoader)).extracting(ResourceKind::resource)
				.containsAll(ResourceKinds.all().stream().map(ResourceKind::resource).toList())
				.contains("extra");
			assertThat(ResourceKinds.named("extra")).isEmpty();
			assertThat(ResourceKinds.all()).extracting(ResourceKind::resource).doesNotContain("extra");
		}
	}

	@Test
	void whenTheContextsClassLoaderRegistersAKindThenItsBackendConditionMatches() throws Exception {
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(this.directory)) {
			new ApplicationContextRunner().withClassLoader(classLoader)
				.withUserConfiguration(ExtraBeans.class)
				.run((context) -> assertThat(context).hasNotFailed().hasBean("inMemory").doesNotHaveBean("attached"));
		}
	}

	@Test
	void whenTheContextsClassLoaderRegistersAKindThenItsVariableAttachesItsResource() throws Exception {
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(this.directory)) {
			new ApplicationContextRunner().withClassLoader(classLoader)
				.withPropertyValues("EXTRA_URL=extra://server")
				.withUserConfiguration(ExtraBeans.class)
				.run((context) -> assertThat(context).hasNotFailed().hasBean("attached").doesNotHaveBean("inMemory"));
		}
	}

	@Test
	void whenTheContextsClassLoaderRegistersAKindThenItsResourceIsAttached() throws Exception {
		try (URLClassLoader classLoader = LoaderOnlyResourceKind.classLoader(this.directory)) {
			new ApplicationContextRunner().withClassLoader(classLoader)
				.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class))
				.withPropertyValues("EXTRA_URL=extra://server")
				.run((context) -> assertThat(context.getBean(AttachedResources.class).get("extra")).get()
					.satisfies((resource) -> assertThat(resource.kind()).isInstanceOf(LoaderOnlyResourceKind.class)));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ExtraBeans {

		@Bean
		@ConditionalOnBackend(resource = "extra", value = "memory")
		String inMemory() {
			return "memory";
		}

		@Bean
		@ConditionalOnAttachedResource("extra")
		String attached() {
			return "attached";
		}

	}

}
