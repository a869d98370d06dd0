package io.attach.storage;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link LocalStorageConfiguration}'s beans, registered as the storage kind's auto-configuration registers
 * them once the local backend is chosen, and for the handler they wire.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalStorageConfigurationTests {

	private static final String SIGNING_KEY = "0123456789abcdef0123456789abcdef";

	@TempDir
	Path directory;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(Target.class, LocalStorageConfiguration.FilesConfiguration.class,
				LocalStorageConfiguration.ServletConfiguration.class);

	private final WebApplicationContextRunner webContextRunner = new WebApplicationContextRunner()
		.withUserConfiguration(Target.class, LocalStorageConfiguration.FilesConfiguration.class,
				LocalStorageConfiguration.ServletConfiguration.class);

	private String root() {
		return "test.root=" + this.directory.resolve("files");
	}

	@Test
	void theBackendIsTheLocalStorageOverTheTargetDirectory() {
		this.contextRunner.withPropertyValues(root()).run((context) -> {
			StorageBackend backend = context.getBean("localStorageBackend", StorageBackend.class);
			assertThat(backend.name()).isEqualTo("local");
			assertThat(backend.files()).isInstanceOf(LocalFileStorage.class);
			assertThat(this.directory.resolve("files/.attach/tmp")).isDirectory();
			assertThat(backend.files().capabilities().presignedUrls()).isFalse();
			assertThat(context).doesNotHaveBean(LocalStorageUrlHandler.class);
		});
	}

	@Test
	void aServletWebApplicationServesPresignedUrlsUnderTheUrlPath() {
		this.webContextRunner.withPropertyValues(root(), "attach.storage.local.url-path=/files").run((context) -> {
			assertThat(context).hasSingleBean(LocalStorageUrlHandler.class);
			SimpleUrlHandlerMapping mapping = context.getBean("localStorageUrlHandlerMapping",
					SimpleUrlHandlerMapping.class);
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/files/**");
			StorageBackend backend = context.getBean(StorageBackend.class);
			assertThat(backend.files().capabilities().presignedUrls()).isTrue();
			assertThat(backend.files().presignGet("k", Duration.ofMinutes(1)).toString()).startsWith("/files/k?");
		});
	}

	@Test
	void theBaseUrlIsPutBeforePresignedUrls() {
		this.contextRunner.withPropertyValues(root(), "attach.storage.local.base-url=https://files.example.com")
			.run((context) -> assertThat(
					context.getBean(StorageBackend.class).files().presignGet("k", Duration.ofMinutes(1)).toString())
				.startsWith("https://files.example.com/attach/storage/k?expires="));
	}

	@Test
	void withoutASigningKeyOneLineSaysUrlsWorkOnlyOnThisInstance(CapturedOutput output) {
		this.contextRunner.withPropertyValues(root()).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("attach.storage.local.signing-key is not set")
				.contains("only on this instance and until it restarts");
		});
	}

	@Test
	void instancesWithTheSameSigningKeyAcceptEachOthersUrlsAndSayNothing(CapturedOutput output) {
		String key = "attach.storage.local.signing-key=" + SIGNING_KEY;
		this.contextRunner.withPropertyValues(root(), key).run((first) -> {
			URI url = first.getBean(StorageBackend.class).files().presignGet("k", Duration.ofMinutes(1));
			this.contextRunner.withPropertyValues("test.root=" + this.directory.resolve("other"), key)
				.run((second) -> {
					LocalFileStorage storage = (LocalFileStorage) second.getBean(StorageBackend.class).files();
					assertThat(storage.signer().verify("GET", "k", url.getRawQuery())).isEmpty();
				});
		});
		assertThat(output).doesNotContain("signing-key is not set").doesNotContain(SIGNING_KEY);
	}

	@Test
	void aSigningKeyShorterThan32BytesFailsStartupWithoutShowingIt(CapturedOutput output) {
		this.contextRunner.withPropertyValues(root(), "attach.storage.local.signing-key=short-S3cr3t")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidSettingException.class)
					.hasMessageContaining("attach.storage.local.signing-key is shorter than 32 bytes");
				assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("short-S3cr3t");
			});
		assertThat(output).doesNotContain("short-S3cr3t");
	}

	@Test
	void aUrlPathThatIsNoPlainPathFailsStartup() {
		this.contextRunner.withPropertyValues(root(), "attach.storage.local.url-path=files/*")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.storage.local.url-path"));
	}

	@Test
	void theProbePassesWhileTheRootIsWritableAndFailsWhenItIsGone() {
		this.contextRunner.withPropertyValues(root()).run((context) -> {
			StorageProbe probe = context.getBean(StorageBackend.class).probe();
			probe.probe();
			assertThat(Files.list(this.directory.resolve("files/.attach/tmp"))).isEmpty();
			FileSystemUtils.deleteRecursively(this.directory.resolve("files"));
			assertThatException().isThrownBy(probe::probe);
		});
	}

	@Test
	void theHandlerServesFilesWithHeadersThatKeepBrowsersFromRunningThem() throws Exception {
		this.webContextRunner.withPropertyValues(root()).run((context) -> {
			FileStorage files = context.getBean(StorageBackend.class).files();
			files.put("page.html", "<script>".getBytes(StandardCharsets.UTF_8),
					PutOptions.defaults().withContentType("text/html"));
			URI url = files.presignGet("page.html", Duration.ofMinutes(1));
			MockHttpServletResponse response = handle(context.getBean(LocalStorageUrlHandler.class), "GET", url);
			assertThat(response.getStatus()).isEqualTo(200);
			assertThat(response.getContentType()).isEqualTo("text/html");
			assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
			assertThat(response.getHeader("Content-Security-Policy")).isEqualTo("sandbox");
			assertThat(response.getContentAsString()).isEqualTo("<script>");
		});
	}

	@Test
	void theHandlerAnswersOtherMethodsWith405AndUnsignedPathsWith403() throws Exception {
		this.webContextRunner.withPropertyValues(root()).run((context) -> {
			LocalStorageUrlHandler handler = context.getBean(LocalStorageUrlHandler.class);
			URI url = context.getBean(StorageBackend.class).files().presignGet("k", Duration.ofMinutes(1));
			assertThat(handle(handler, "DELETE", url).getStatus()).isEqualTo(405);
			assertThat(handle(handler, "GET", URI.create("/attach/storage/k")).getStatus()).isEqualTo(403);
			assertThat(handle(handler, "GET", URI.create("/attach/storage/%FF?" + url.getRawQuery())).getStatus())
				.isEqualTo(403);
			assertThat(handle(handler, "GET", URI.create("/attach/storage/.attach/tmp/x?" + url.getRawQuery()))
				.getStatus()).isEqualTo(403);
		});
	}

	private static MockHttpServletResponse handle(LocalStorageUrlHandler handler, String method, URI url)
			throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest(method, url.getRawPath());
		request.setQueryString(url.getRawQuery());
		MockHttpServletResponse response = new MockHttpServletResponse();
		handler.handleRequest(request, response);
		return response;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AttachStorageProperties.class)
	static class Target {

		@Bean
		LocalTarget localTarget(org.springframework.core.env.Environment environment) {
			return new LocalTarget(Path.of(environment.getRequiredProperty("test.root")), "STORAGE_URL");
		}

	}

}
