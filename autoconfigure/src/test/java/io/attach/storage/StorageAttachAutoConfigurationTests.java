package io.attach.storage;

import java.net.URI;
import java.nio.file.Path;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidSettingException;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceCircuitBreakers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.support.EnvironmentPostProcessorsFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StorageAttachAutoConfiguration} and {@link StorageHealthAttachAutoConfiguration}, with attach's
 * environment post-processors applied as Spring Boot applies them and the real backends' configurations.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class StorageAttachAutoConfigurationTests {

	@TempDir
	Path directory;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withInitializer(StorageAttachAutoConfigurationTests::postProcessEnvironment)
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				ResilienceAttachAutoConfiguration.class, StorageAttachAutoConfiguration.class,
				StorageHealthAttachAutoConfiguration.class));

	// Where the backends are not under test: the user's storage wins, and only the resolved targets are attach's.
	private ApplicationContextRunner withUserStorage() {
		return this.runner.withBean(FileStorage.class, GuardedFileStorageTests.FlakyStorage::new)
			.withPropertyValues("attach.storage.directory=" + this.directory);
	}

	@Test
	void whenNothingIsAttachedThenTheDirectoryPropertyIsTheLocalTarget() {
		withUserStorage().run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(S3Target.class);
			assertThat(context.getBean(LocalTarget.class))
				.isEqualTo(new LocalTarget(this.directory, "attach.storage.directory"));
		});
	}

	@Test
	void whenFileUrlIsAttachedThenItsDirectoryIsTheLocalTarget() {
		withUserStorage().withPropertyValues("STORAGE_URL=file://" + this.directory.resolve("files"))
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(S3Target.class);
				assertThat(context.getBean(LocalTarget.class))
					.isEqualTo(new LocalTarget(this.directory.resolve("files"), "STORAGE_URL"));
			});
	}

	@Test
	void whenS3UrlIsAttachedThenItIsTheS3Target() {
		withUserStorage()
			.withPropertyValues("STORAGE_URL=s3://AKIAEXAMPLE:s3cr%2Ft@files/app?endpoint=https://minio.example.com",
					"AWS_REGION=eu-west-3")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(LocalTarget.class);
				assertThat(context.getBean(S3Target.class)).isEqualTo(new S3Target("files", "app/", "eu-west-3",
						URI.create("https://minio.example.com"), true, "AKIAEXAMPLE", "s3cr/t", "STORAGE_URL"));
			});
	}

	@Test
	void whenOnlyS3BucketIsSetThenStorageIsAttachedFromIt(CapturedOutput output) {
		withUserStorage().withPropertyValues("S3_BUCKET=my-uploads").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(S3Target.class).bucket()).isEqualTo("my-uploads");
			assertThat(context.getBean(S3Target.class).setting()).isEqualTo("S3_BUCKET");
		});
		assertThat(output).contains("Attached storage (storage) from attach.resources.storage.url: s3://my-uploads");
	}

	@Test
	void whenS3BackendIsChosenAndOnlyS3BucketIsSetThenTheBucketIsAttachedBeforeTheChoiceIsChecked() {
		withUserStorage().withPropertyValues("S3_BUCKET=my-uploads", "STORAGE_BACKEND=s3").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(S3Target.class).bucket()).isEqualTo("my-uploads");
		});
	}

	@Test
	void whenLocalBackendIsChosenAgainstABucketThenStartupFailsNamingTheChoice() {
		withUserStorage().withPropertyValues("STORAGE_URL=s3://files", "STORAGE_BACKEND=local")
			.run((context) -> assertThat(failure(context)).isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("STORAGE_BACKEND is 'local' but STORAGE_URL names the S3 bucket 'files'"));
	}

	@Test
	void whenBackendIsUnknownThenStartupFailsListingTheBackends() {
		this.runner.withPropertyValues("STORAGE_BACKEND=disk")
			.run((context) -> assertThat(failure(context)).isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("STORAGE_BACKEND is 'disk', which is not a storage backend. Use 'local'"));
	}

	@Test
	void whenS3UrlIsAttachedWithoutTheAwsSdkThenStartupFailsNamingTheDependency() {
		this.runner.withClassLoader(new FilteredClassLoader(StorageSettings.S3_CLIENT))
			.withPropertyValues("STORAGE_URL=s3://files")
			.run((context) -> assertThat(failure(context)).isInstanceOf(InvalidSettingException.class)
				.hasMessageContaining("STORAGE_URL names an S3 bucket, but the AWS SDK's S3 client is not on the "
						+ "class path")
				.hasMessageContaining("software.amazon.awssdk:s3"));
	}

	// Needs the local backend's configuration (LocalStorageConfiguration).
	@Test
	void whenNothingIsAttachedThenFilesGoToTheLocalBackendWithoutABreaker() {
		this.runner.withPropertyValues("attach.storage.directory=" + this.directory).run((context) -> {
			assertThat(context).hasNotFailed().hasBean("localStorageBackend").doesNotHaveBean(GuardedFileStorage.class);
			assertThat(context.getBean(FileStorage.class))
				.isSameAs(context.getBean("localStorageBackend", StorageBackend.class).files());
			assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class);
		});
	}

	// Needs the local backend's configuration (LocalStorageConfiguration).
	@Test
	void whenFileUrlIsAttachedWithoutTheAwsSdkThenTheLocalBackendWorksBehindTheBreaker() {
		this.runner.withClassLoader(new FilteredClassLoader(StorageSettings.S3_CLIENT))
			.withPropertyValues("STORAGE_URL=file://" + this.directory)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("localStorageBackend");
				GuardedFileStorage files = context.getBean(GuardedFileStorage.class);
				assertThat(context.getBean(FileStorage.class)).isSameAs(files);
				assertThat(files.guard()).isPresent();
				assertThat(context.getBean(ResourceCircuitBreakers.class).getState("storage")).isPresent();
				assertThat(context).getBean("storageHealthContributor").isInstanceOf(MonitoredHealthIndicator.class);
			});
	}

	// Needs the S3 backend's configuration (S3StorageConfiguration).
	@Test
	void whenS3UrlIsAttachedThenFilesGoToTheS3BackendBehindTheBreaker() {
		this.runner.withPropertyValues("STORAGE_URL=s3://files?region=us-east-1&endpoint=http://127.0.0.1:1")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("s3StorageBackend").doesNotHaveBean("localStorageBackend");
				assertThat(context.getBean(GuardedFileStorage.class).guard()).isPresent();
				assertThat(context.getBean(FileStorage.class).capabilities().backend()).isEqualTo("s3");
			});
	}

	// Needs the local backend's configuration (LocalStorageConfiguration).
	@Test
	void whenTheGuardIsTurnedOffThenCallsPassThroughButTheStorageIsStillAttached() {
		this.runner
			.withPropertyValues("STORAGE_URL=file://" + this.directory, "attach.guard.resources.storage.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(GuardedFileStorage.class).guard()).isEmpty();
			});
	}

	// Needs the local backend's configuration (LocalStorageConfiguration).
	@Test
	void whenTheStorageCheckIsTurnedOffThenThereIsNone() {
		this.runner.withPropertyValues("STORAGE_URL=file://" + this.directory, "management.health.storage.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(GuardedFileStorage.class);
				assertThat(context).doesNotHaveBean("storageHealthContributor");
			});
	}

	// Thrown by a post-processor, the failure is the exception itself; by a bean, it is the cause of the bean's.
	private static Throwable failure(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		return NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure());
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

}
