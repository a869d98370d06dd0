package io.attach;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import io.attach.kind.ResourceKindContractTests;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.type.classreading.CachingMetadataReaderFactory;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.core.type.filter.AssignableTypeFilter;
import org.springframework.core.type.filter.TypeFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every auto-configuration and every kind descriptor of the main code is registered, so that one left out
 * fails the build rather than silently never running.
 *
 * @author attach
 */
class RegistrationTests {

	private static final String IMPORTS = "META-INF/spring/"
			+ "org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	@Test
	void everyAutoConfigurationIsListedInTheImportsFile() throws Exception {
		List<String> declared = mainClasses(new AnnotationTypeFilter(AutoConfiguration.class));
		List<String> listed = Files.readAllLines(main().resolve(IMPORTS), StandardCharsets.UTF_8)
			.stream()
			.map(String::trim)
			.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(declared).contains(AttachAutoConfiguration.class.getName());
		assertThat(listed).containsExactlyInAnyOrderElementsOf(declared);
	}

	@Test
	void everyKindDescriptorIsRegisteredInSpringFactories() throws Exception {
		List<String> declared = mainClasses(new AssignableTypeFilter(ResourceKind.class));
		Properties factories = new Properties();
		try (var reader = Files.newBufferedReader(main().resolve("META-INF/spring.factories"))) {
			factories.load(reader);
		}
		List<String> registered = Arrays.stream(factories.getProperty(ResourceKind.class.getName(), "").split(","))
			.map(String::trim)
			.filter((name) -> !name.isEmpty())
			.toList();
		assertThat(declared).hasSizeGreaterThanOrEqualTo(3);
		assertThat(registered).containsExactlyInAnyOrderElementsOf(declared);
		assertThat(ResourceKinds.all()).extracting((kind) -> kind.getClass().getName()).containsAll(declared);
	}

	@Test
	void everyKindOfTheMainCodeHasAContractSubclass() throws Exception {
		List<String> kinds = ResourceKinds.all()
			.stream()
			.filter((kind) -> isMain(kind.getClass()))
			.map(ResourceKind::resource)
			.sorted()
			.toList();
		List<String> contracts = new ArrayList<>();
		MetadataReaderFactory readers = new CachingMetadataReaderFactory();
		TypeFilter contract = new AssignableTypeFilter(ResourceKindContractTests.class);
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources(tests().toUri() + "io/attach/**/*.class")) {
			MetadataReader reader = readers.getMetadataReader(resource);
			if (contract.match(reader, readers) && !reader.getClassMetadata().isAbstract()) {
				Constructor<?> constructor = Class.forName(reader.getClassMetadata().getClassName())
					.getDeclaredConstructor();
				constructor.setAccessible(true);
				// The contract's hooks are protected: read the resource name as the contract itself does.
				Method resourceName = ResourceKindContractTests.class.getDeclaredMethod("resourceName");
				resourceName.setAccessible(true);
				contracts.add((String) resourceName.invoke(constructor.newInstance()));
			}
		}
		assertThat(kinds).hasSizeGreaterThanOrEqualTo(3);
		assertThat(contracts).containsAll(kinds);
	}

	private static boolean isMain(Class<?> type) {
		try {
			return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).equals(main());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path tests() throws URISyntaxException {
		return Path.of(RegistrationTests.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

	// Read from the class files rather than scanned as components, which would apply the classes' conditions.
	private static List<String> mainClasses(TypeFilter filter) throws Exception {
		MetadataReaderFactory readers = new CachingMetadataReaderFactory();
		List<String> names = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources(main().toUri() + "io/attach/**/*.class")) {
			MetadataReader reader = readers.getMetadataReader(resource);
			if (filter.match(reader, readers) && !reader.getClassMetadata().isAbstract()) {
				names.add(reader.getClassMetadata().getClassName());
			}
		}
		return names.stream().sorted().toList();
	}

	// The main code's output directory, not the tests', whose kinds are registered by the tests' own files.
	private static Path main() throws URISyntaxException {
		return Path.of(AttachAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
	}

}
