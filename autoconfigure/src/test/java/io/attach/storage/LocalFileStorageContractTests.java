package io.attach.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link FileStorageContractTests contract} against the local backend, its presigned URLs served by its handler in
 * a minimal servlet application on a random port.
 *
 * @author attach
 */
class LocalFileStorageContractTests extends FileStorageContractTests {

	private static Path root;

	private static ConfigurableApplicationContext application;

	private static FileStorage storage;

	private static int port;

	@BeforeAll
	static void start() throws IOException {
		root = Files.createTempDirectory("attach-local-contract");
		application = new SpringApplicationBuilder(ContractApplication.class).web(WebApplicationType.SERVLET)
			.properties("server.port=0", "server.address=127.0.0.1", "spring.main.banner-mode=off")
			.run();
		storage = application.getBean("localStorageBackend", StorageBackend.class).files();
		port = ((WebServerApplicationContext) application).getWebServer().getPort();
	}

	@AfterAll
	static void stop() throws IOException {
		if (application != null) {
			application.close();
		}
		FileSystemUtils.deleteRecursively(root);
	}

	@Override
	protected FileStorage storage() {
		return storage;
	}

	@Override
	protected long partSize() {
		return LocalTempFile.BUFFER_SIZE;
	}

	@Override
	protected void assertNoLeftovers() throws IOException {
		try (Stream<Path> temporary = Files.list(root.resolve(".attach/tmp"))) {
			assertThat(temporary).isEmpty();
		}
	}

	@Override
	protected URI reachable(URI presigned) {
		// Made outside a request and without attach.storage.local.base-url: relative, as documented.
		assertThat(presigned.isAbsolute()).isFalse();
		return URI.create("http://127.0.0.1:" + port).resolve(presigned);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
			WebMvcAutoConfiguration.class })
	@EnableConfigurationProperties(AttachStorageProperties.class)
	@Import({ LocalStorageConfiguration.FilesConfiguration.class, LocalStorageConfiguration.ServletConfiguration.class })
	static class ContractApplication {

		@Bean
		LocalTarget localTarget() {
			return new LocalTarget(root, "STORAGE_URL");
		}

	}

}
