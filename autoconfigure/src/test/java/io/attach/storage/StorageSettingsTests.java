package io.attach.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.Backends;
import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link StorageSettings} and {@link StorageEnvironmentPostProcessor}: which setting wins, which backend is
 * chosen, and the errors that name the setting to fix.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class StorageSettingsTests {

	private static final String CANARY = "C4n4ry-p4ss";

	private final MockEnvironment environment = new MockEnvironment();

	@TempDir
	Path directory;

	@Test
	void whenUrlGivesEndpointRegionAndPathStyleThenTheyWinOverEveryVariable() {
		set("STORAGE_URL=s3://files/app?region=eu-west-1&endpoint=https://url.example.com&path_style=false",
				"S3_ENDPOINT_URL=https://a.example.com", "S3_ENDPOINT=https://b.example.com",
				"AWS_ENDPOINT_URL_S3=https://c.example.com", "AWS_ENDPOINT_URL=https://d.example.com",
				"AWS_REGION=us-east-2", "S3_BUCKET=other-bucket");
		S3Target target = s3();
		assertThat(target.bucket()).isEqualTo("files");
		assertThat(target.prefix()).isEqualTo("app/");
		assertThat(target.region()).isEqualTo("eu-west-1");
		assertThat(target.endpoint()).isEqualTo(URI.create("https://url.example.com"));
		assertThat(target.pathStyle()).isFalse();
		assertThat(target.setting()).isEqualTo("STORAGE_URL");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "S3_ENDPOINT_URL", "S3_ENDPOINT", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL" })
	void whenUrlHasNoEndpointThenTheFirstEndpointVariableSetGivesIt(String winner, CapturedOutput output) {
		List<String> variables = StorageSettings.ENDPOINT_VARIABLES;
		set("STORAGE_URL=s3://files");
		for (String variable : variables.subList(variables.indexOf(winner), variables.size())) {
			set(variable + "=https://" + variable.toLowerCase().replace('_', '-') + ".example.com:9000");
		}
		S3Target target = s3();
		assertThat(target.endpoint())
			.isEqualTo(URI.create("https://" + winner.toLowerCase().replace('_', '-') + ".example.com:9000"));
		// A custom endpoint is S3-compatible: path style unless the URL says otherwise.
		assertThat(target.pathStyle()).isTrue();
		if (!winner.equals("AWS_ENDPOINT_URL")) {
			assertThat(output).contains("ignored: " + winner + " gives the storage endpoint");
		}
	}

	@Test
	void whenNoSettingGivesAnEndpointThenAwsIsUsedWithVirtualHostedStyle() {
		set("STORAGE_URL=s3://files");
		S3Target target = s3();
		assertThat(target.endpoint()).isNull();
		assertThat(target.pathStyle()).isFalse();
		assertThat(target.region()).isNull();
		assertThat(target.accessKeyId()).isNull();
		assertThat(target.secretAccessKey()).isNull();
	}

	@Test
	void whenUrlHasNoRegionThenAwsRegionGivesIt() {
		set("STORAGE_URL=s3://files", "AWS_REGION=ap-southeast-2");
		assertThat(s3().region()).isEqualTo("ap-southeast-2");
	}

	@Test
	void whenUrlHasCredentialsThenTheTargetHoldsThemDecodedAndShowsNeither() {
		set("STORAGE_URL=s3://AKIAEXAMPLE:" + CANARY.replace("-", "%2D") + "@files");
		S3Target target = s3();
		assertThat(target.accessKeyId()).isEqualTo("AKIAEXAMPLE");
		assertThat(target.secretAccessKey()).isEqualTo(CANARY);
		assertThat(target.toString()).doesNotContain(CANARY).doesNotContain("AKIAEXAMPLE");
	}

	@Test
	void whenOnlyS3BucketIsSetThenItAttachesStorageAndMessagesNameIt() {
		set("S3_BUCKET=my-uploads", "AWS_REGION=eu-central-1");
		postProcess();
		ResourceDeclaration declaration = declaration();
		assertThat(declaration.isAttached()).isTrue();
		assertThat(declaration.url()).isEqualTo("s3://my-uploads");
		S3Target target = s3();
		assertThat(target.bucket()).isEqualTo("my-uploads");
		assertThat(target.prefix()).isEmpty();
		assertThat(target.region()).isEqualTo("eu-central-1");
		assertThat(target.setting()).isEqualTo("S3_BUCKET");
		assertThat(Backends.resolve(this.environment, kind()).name()).isEqualTo("s3");
	}

	@Test
	void whenStorageUrlAndS3BucketAreSetThenTheUrlWinsAndStartupSaysS3BucketIsIgnored(CapturedOutput output) {
		set("STORAGE_URL=s3://from-url", "S3_BUCKET=from-variable");
		postProcess();
		assertThat(s3().bucket()).isEqualTo("from-url");
		assertThat(output).contains("S3_BUCKET is ignored: STORAGE_URL names the bucket, from-url");
	}

	@Test
	void whenUrlPropertyAndStorageUrlAreSetThenThePropertyWins() {
		set("attach.resources.storage.url=s3://from-property", "STORAGE_URL=s3://from-variable");
		postProcess();
		S3Target target = s3();
		assertThat(target.bucket()).isEqualTo("from-property");
		assertThat(target.setting()).isEqualTo("attach.resources.storage.url");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			My_Bucket | which has characters other than lower-case letters, digits, '.' and '-'
			ab | which is not 3 to 63 characters long
			bucket- | which does not start and end with a letter or digit
			""")
	void whenS3BucketIsNotABucketNameThenStartupFailsNamingIt(String bucket, String problem) {
		set("S3_BUCKET=" + bucket);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::postProcess).satisfies((ex) -> {
			assertThat(ex.getSetting()).isEqualTo("S3_BUCKET");
			assertThat(ex.getMessage()).startsWith("S3_BUCKET is '" + bucket + "', " + problem);
			assertThat(ex.getAction()).contains("3 to 63 lower-case letters");
		});
	}

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			S3_ENDPOINT | minio:9000 | has no http:// or https:// scheme
			S3_ENDPOINT_URL | https://user:pw@minio | has user info
			AWS_ENDPOINT_URL_S3 | https://minio?x=1 | has a query or a fragment
			AWS_ENDPOINT_URL | not a url | is not a URL
			""")
	void whenAnEndpointVariableCannotBeUsedThenStartupFailsNamingIt(String variable, String value, String problem) {
		set("STORAGE_URL=s3://files", variable + "=" + value);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::s3).satisfies((ex) -> {
			assertThat(ex.getSetting()).isEqualTo(variable);
			assertThat(ex.getMessage()).startsWith(variable + " " + problem);
			assertThat(ex.getMessage()).doesNotContain("pw");
		});
	}

	@Test
	void whenAwsRegionIsNotARegionThenStartupFailsNamingIt() {
		set("STORAGE_URL=s3://files", "AWS_REGION=Europe (Paris)");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::s3)
			.withMessage("AWS_REGION is 'Europe (Paris)', which is not a region name. "
					+ "Set it to a region such as eu-west-1, or auto for Cloudflare R2.");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			http://minio.internal:9000 | true
			http://10.0.0.5:9000 | true
			http://localhost:9000 | false
			http://127.0.0.1:9000 | false
			http://[::1]:9000 | false
			https://minio.internal:9000 | false
			""")
	void whenEndpointIsPlainHttpOffThisMachineThenStartupWarns(String endpoint, boolean warned,
			CapturedOutput output) {
		set("STORAGE_URL=s3://AKIAEXAMPLE:" + CANARY + "@files?endpoint=" + endpoint);
		s3();
		assertThat(output.getAll().contains("over plain HTTP")).isEqualTo(warned);
		assertThat(output).doesNotContain(CANARY);
	}

	@Test
	void whenS3UrlIsAttachedWithoutTheAwsSdkThenStartupFailsNamingTheSettingAndTheDependency() {
		set("STORAGE_URL=s3://files");
		FilteredClassLoader withoutSdk = new FilteredClassLoader(StorageSettings.S3_CLIENT);
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> postProcess(withoutSdk))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("STORAGE_URL");
				assertThat(ex.getMessage())
					.startsWith("STORAGE_URL names an S3 bucket, but the AWS SDK's S3 client is not on the class path");
				assertThat(ex.getAction()).contains("software.amazon.awssdk:s3")
					.contains("software.amazon.awssdk:apache-client")
					.contains("file:///");
			});
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StorageSettings.s3(this.environment, resource(), withoutSdk))
			.withMessageStartingWith("STORAGE_URL names an S3 bucket");
	}

	@Test
	void whenS3BucketIsSetWithoutTheAwsSdkThenStartupFailsNamingS3Bucket() {
		set("S3_BUCKET=files");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> postProcess(new FilteredClassLoader(StorageSettings.S3_CLIENT)))
			.withMessageStartingWith("S3_BUCKET names an S3 bucket, but the AWS SDK's S3 client is not on the class path");
	}

	@Test
	void whenFileUrlIsAttachedWithoutTheAwsSdkThenTheLocalBackendNeedsNone() {
		set("STORAGE_URL=file://" + this.directory);
		postProcess(new FilteredClassLoader(StorageSettings.S3_CLIENT));
		assertThat(StorageSettings.local(this.environment, resource(), new AttachStorageProperties()).root())
			.isEqualTo(this.directory);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			- | - | local
			file:///var/data | - | local
			s3://files | - | s3
			s3://files | s3 | s3
			file:///var/data | LOCAL | local
			""")
	void whenBackendIsNotChosenThenTheUrlSchemeChoosesItElseLocal(String url, String chosen, String backend) {
		if (url != null) {
			set("STORAGE_URL=" + url);
		}
		if (chosen != null) {
			set("STORAGE_BACKEND=" + chosen);
		}
		assertThat(Backends.resolve(this.environment, kind()).name()).isEqualTo(backend);
	}

	@Test
	void whenS3BackendIsChosenWithNothingAttachedThenTheErrorSaysWhatToSet() {
		set("STORAGE_BACKEND=s3");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Backends.resolve(this.environment, kind()))
			.withMessage("STORAGE_BACKEND is 's3' but STORAGE_URL (or attach.resources.storage.url) is not set. "
					+ "Set STORAGE_URL, such as s3://my-bucket/uploads?region=eu-west-1, or set STORAGE_BACKEND=local"
					+ " to store files in a local directory.");
	}

	@Test
	void whenBackendIsUnknownThenTheErrorListsBoth() {
		set("STORAGE_BACKEND=gcs");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Backends.resolve(this.environment, kind()))
			.withMessage("STORAGE_BACKEND is 'gcs', which is not a storage backend. Use 'local' to store files in a "
					+ "local directory or 's3' to store files in the S3 bucket of STORAGE_URL.");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "STORAGE_BACKEND", "attach.storage.backend" })
	void whenLocalBackendIsChosenAgainstABucketThenStartupFailsNamingTheChoice(String chooser) {
		set("STORAGE_URL=s3://AKIAEXAMPLE:" + CANARY + "@files", chooser + "=local");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StorageSettings.local(this.environment, resource(), new AttachStorageProperties()))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo(chooser);
				assertThat(ex.getMessage())
					.isEqualTo(chooser + " is 'local' but STORAGE_URL names the S3 bucket 'files'. Remove " + chooser
							+ " to keep files in the bucket, or unset STORAGE_URL to keep them in a local directory.");
				assertThat(ex.getMessage()).doesNotContain(CANARY);
			});
	}

	@Test
	void whenS3BackendIsChosenAgainstADirectoryThenStartupFailsNamingTheChoice() {
		set("STORAGE_URL=file:///var/data", "STORAGE_BACKEND=s3");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(this::s3)
			.withMessageStartingWith("STORAGE_BACKEND is 's3' but STORAGE_URL names a local directory. Remove "
					+ "STORAGE_BACKEND to keep files in that directory, or set STORAGE_URL to an s3:// URL");
	}

	@Test
	void whenFileUrlIsAttachedThenItNamesTheDirectoryAheadOfTheProperty(CapturedOutput output) {
		set("STORAGE_URL=file://" + this.directory);
		AttachStorageProperties properties = new AttachStorageProperties();
		properties.setDirectory(Path.of("elsewhere"));
		LocalTarget target = StorageSettings.local(this.environment, resource(), properties);
		assertThat(target).isEqualTo(new LocalTarget(this.directory, "STORAGE_URL"));
		assertThat(output).contains("attach.storage.directory is ignored: STORAGE_URL names the directory, "
				+ this.directory);
	}

	@Test
	void whenNothingIsAttachedThenFilesGoUnderTheWorkingDirectoryAndStartupSaysWhere(CapturedOutput output) {
		LocalTarget target = StorageSettings.local(this.environment, null, new AttachStorageProperties());
		Path expected = Path.of(System.getProperty("user.dir")).resolve(".attach").resolve("storage");
		assertThat(target).isEqualTo(new LocalTarget(expected, "attach.storage.directory (default)"));
		assertThat(output).contains("No STORAGE_URL: files are stored in the local directory " + expected
				+ " (attach.storage.directory (default)). Set STORAGE_URL to an s3:// or file:/// URL to store them "
				+ "elsewhere.");
	}

	@Test
	void whenNothingIsAttachedThenTheDirectoryPropertyChoosesTheDirectory() {
		AttachStorageProperties properties = new AttachStorageProperties();
		properties.setDirectory(this.directory.resolve("a/../files"));
		assertThat(StorageSettings.local(this.environment, null, properties))
			.isEqualTo(new LocalTarget(this.directory.resolve("files"), "attach.storage.directory"));
		properties.setDirectory(Path.of("relative"));
		assertThat(StorageSettings.local(this.environment, null, properties).root())
			.isEqualTo(Path.of(System.getProperty("user.dir"), "relative"));
	}

	@Test
	void whenStorageIsDisabledThenItsUrlIsIgnoredWithAWarning(CapturedOutput output) {
		set("STORAGE_URL=s3://AKIAEXAMPLE:" + CANARY + "@files", "attach.resources.storage.enabled=false");
		AttachStorageProperties properties = new AttachStorageProperties();
		properties.setDirectory(this.directory);
		assertThat(StorageSettings.local(this.environment, null, properties).root()).isEqualTo(this.directory);
		assertThat(output).contains("STORAGE_URL is set, but storage is not attached "
				+ "(attach.resources.storage.enabled is false): files are stored in the local directory "
				+ this.directory).doesNotContain(CANARY);
	}

	@Test
	void whenStorageIsAttachedThenSlowTransfersDoNotOpenItsBreakerUnlessTheUserSaysSo() {
		set("STORAGE_URL=s3://files");
		postProcess();
		String threshold = "resilience4j.circuitbreaker.instances.storage.slow-call-duration-threshold";
		assertThat(this.environment.getProperty(threshold)).isEqualTo("1h");
		MockEnvironment configured = new MockEnvironment().withProperty("STORAGE_URL", "s3://files")
			.withProperty(threshold, "10s");
		new StorageEnvironmentPostProcessor().postProcessEnvironment(configured, new SpringApplication());
		assertThat(configured.getProperty(threshold)).isEqualTo("10s");
	}

	@Test
	void whenNothingIsAttachedThenThePostProcessorAddsNothing() {
		postProcess();
		assertThat(this.environment.getPropertySources().contains(StorageEnvironmentPostProcessor.BUCKET_SOURCE))
			.isFalse();
		assertThat(this.environment.getPropertySources().contains(StorageEnvironmentPostProcessor.DEFAULTS_SOURCE))
			.isFalse();
	}

	private void set(String... pairs) {
		Arrays.stream(pairs).forEach((pair) -> {
			int equals = pair.indexOf('=');
			this.environment.setProperty(pair.substring(0, equals), pair.substring(equals + 1));
		});
	}

	private void postProcess() {
		postProcess(null);
	}

	private void postProcess(@Nullable ClassLoader classLoader) {
		SpringApplication application = new SpringApplication();
		if (classLoader != null) {
			application.setResourceLoader(new DefaultResourceLoader(classLoader));
		}
		new StorageEnvironmentPostProcessor().postProcessEnvironment(this.environment, application);
	}

	private S3Target s3() {
		return StorageSettings.s3(this.environment, resource(), getClass().getClassLoader());
	}

	private AttachedResource resource() {
		return new AttachedResources(List.of(declaration())).get("storage").orElseThrow();
	}

	private ResourceDeclaration declaration() {
		return ResourceDeclaration.of(this.environment, kind());
	}

	private static ResourceKind kind() {
		return ResourceKinds.named("storage").orElseThrow();
	}

}
