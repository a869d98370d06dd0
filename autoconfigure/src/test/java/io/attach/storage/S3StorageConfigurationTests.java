package io.attach.storage;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link S3StorageConfiguration}.
 *
 * @author attach
 */
class S3StorageConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withUserConfiguration(TargetConfiguration.class, S3StorageConfiguration.class)
		.withPropertyValues("STORAGE_URL=s3://attach-bucket");

	@Test
	void whenTheBackendIsS3ThenItsStorageClientAndPresignerAreBeans() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasBean("attachS3Client").hasBean("attachS3Presigner");
			StorageBackend backend = context.getBean("s3StorageBackend", StorageBackend.class);
			assertThat(backend.name()).isEqualTo("s3");
			assertThat(backend.files()).isInstanceOf(S3FileStorage.class);
			assertThat(backend.files().capabilities().location()).isEqualTo("s3://attach-bucket/avatars/");
		});
	}

	@Test
	void anS3ClientOfTheApplicationIsStillCreatedAndInjectedByType() {
		this.contextRunner.withUserConfiguration(ApplicationS3ClientConfiguration.class).run((context) -> {
			assertThat(context).hasBean("attachS3Client").hasBean("applicationS3Client");
			assertThat(context.getBean(S3Client.class)).isSameAs(context.getBean("applicationS3Client"));
		});
	}

	@Test
	void propertiesReachTheClient() {
		this.contextRunner.withPropertyValues("attach.storage.s3.api-call-timeout=7s", "attach.storage.s3.max-attempts=1")
			.run((context) -> {
				S3Client client = context.getBean("attachS3Client", S3Client.class);
				assertThat(client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
					.contains(Duration.ofSeconds(7));
				assertThat(client.serviceClientConfiguration().overrideConfiguration().retryStrategy())
					.hasValueSatisfying((strategy) -> assertThat(strategy.maxAttempts()).isEqualTo(1));
			});
	}

	@Test
	void theMultipartSha256CopyIsOnByDefaultAndCanBeTurnedOff() {
		this.contextRunner.run((context) -> assertThat(context.getBean("s3StorageBackend", StorageBackend.class).files())
			.extracting("storeMultipartSha256")
			.isEqualTo(true));
		this.contextRunner.withPropertyValues("attach.storage.s3.store-multipart-sha256=false")
			.run((context) -> assertThat(context.getBean("s3StorageBackend", StorageBackend.class).files())
				.extracting("storeMultipartSha256")
				.isEqualTo(false));
	}

	@Test
	void whenATimeoutIsZeroThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("attach.storage.s3.api-call-attempt-timeout=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.storage.s3.api-call-attempt-timeout");
		});
	}

	@Test
	void whenAMetadataCallTimeoutIsZeroThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("attach.storage.s3.metadata-call-timeout=0").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("attach.storage.s3.metadata-call-timeout");
		});
	}

	@Test
	void whenTheBackendIsLocalThenNothingOfS3IsCreated() {
		this.contextRunner.withPropertyValues("STORAGE_BACKEND=local").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("attachS3Client").doesNotHaveBean("s3StorageBackend");
		});
	}

	@Test
	void whenTheSdkIsMissingThenNothingOfS3IsCreated() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(S3Client.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("s3StorageBackend"));
	}

	@Test
	void theClientIsClosedWithTheContext() {
		S3Client[] client = new S3Client[1];
		this.contextRunner.run((context) -> client[0] = context.getBean("attachS3Client", S3Client.class));
		// A closed client refuses calls before it opens a connection.
		assertThatThrownBy(() -> client[0].headBucket((request) -> request.bucket("attach-bucket")))
			.isInstanceOf(RejectedExecutionException.class)
			.hasMessageContaining("Terminated");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(AttachStorageProperties.class)
	static class TargetConfiguration {

		@Bean
		S3Target s3Target() {
			// A closed port: nothing here talks to the store.
			return new S3Target("attach-bucket", "avatars/", null, URI.create("http://127.0.0.1:9"), true, "key",
					"secret", "STORAGE_URL");
		}

	}

	// Registered after attach's: its condition sees attach's client, and must not count it.
	@Configuration(proxyBeanMethods = false)
	static class ApplicationS3ClientConfiguration {

		@Bean
		@ConditionalOnMissingBean(S3Client.class)
		S3Client applicationS3Client(S3Target target) {
			return S3Clients.client(target, new S3StorageProperties());
		}

	}

}
