package io.attach.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;

import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link S3Clients}: the settings of the client it builds, read back from the client.
 *
 * @author attach
 */
class S3ClientsTests {

	private static final String SECRET = "C4n4ry-s3cr3t/+=";

	private final S3StorageProperties properties = new S3StorageProperties();

	@Test
	void everyCallAndAttemptHasAFiniteTimeout() {
		try (S3Client client = S3Clients.client(compatible(true), this.properties)) {
			ClientOverrideConfiguration override = client.serviceClientConfiguration().overrideConfiguration();
			assertThat(override.apiCallTimeout()).contains(Duration.ofMinutes(2));
			assertThat(override.apiCallAttemptTimeout()).contains(Duration.ofSeconds(30));
		}
	}

	@Test
	void callsWithoutContentHaveShorterFiniteTimeoutsThanUploads() {
		AwsRequestOverrideConfiguration metadataCall = S3FileStorage.metadataCall(this.properties);
		assertThat(metadataCall.apiCallAttemptTimeout()).contains(Duration.ofSeconds(5));
		assertThat(metadataCall.apiCallTimeout()).contains(Duration.ofSeconds(10));
		this.properties.setMetadataCallAttemptTimeout(Duration.ofMillis(700));
		this.properties.setMetadataCallTimeout(Duration.ofSeconds(3));
		metadataCall = S3FileStorage.metadataCall(this.properties);
		assertThat(metadataCall.apiCallAttemptTimeout()).contains(Duration.ofMillis(700));
		assertThat(metadataCall.apiCallTimeout()).contains(Duration.ofSeconds(3));
	}

	@Test
	void timeoutsAndAttemptsComeFromTheProperties() {
		this.properties.setApiCallTimeout(Duration.ofSeconds(9));
		this.properties.setApiCallAttemptTimeout(Duration.ofSeconds(4));
		this.properties.setMaxAttempts(1);
		try (S3Client client = S3Clients.client(compatible(true), this.properties)) {
			ClientOverrideConfiguration override = client.serviceClientConfiguration().overrideConfiguration();
			assertThat(override.apiCallTimeout()).contains(Duration.ofSeconds(9));
			assertThat(override.apiCallAttemptTimeout()).contains(Duration.ofSeconds(4));
			assertThat(override.retryStrategy()).hasValueSatisfying((retry) -> assertThat(retry.maxAttempts()).isOne());
		}
	}

	@Test
	void theSdkRetriesAFewTimesByDefault() {
		try (S3Client client = S3Clients.client(compatible(true), this.properties)) {
			assertThat(client.serviceClientConfiguration().overrideConfiguration().retryStrategy())
				.hasValueSatisfying((retry) -> assertThat(retry.maxAttempts()).isEqualTo(3));
		}
	}

	@Test
	void aCustomEndpointGetsChecksumsOnlyWhenRequiredAndMd5ForDeleteObjects() {
		try (S3Client client = S3Clients.client(compatible(true), this.properties)) {
			S3ServiceClientConfiguration configuration = client.serviceClientConfiguration();
			assertThat(configuration.requestChecksumCalculation()).isEqualTo(RequestChecksumCalculation.WHEN_REQUIRED);
			assertThat(configuration.responseChecksumValidation())
				.isEqualTo(ResponseChecksumValidation.WHEN_REQUIRED);
			assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:9000"));
			assertThat(configuration.overrideConfiguration().executionInterceptors())
				.anySatisfy((interceptor) -> assertThat(interceptor.getClass().getSimpleName())
					.isEqualTo("LegacyMd5ExecutionInterceptor"));
		}
	}

	@Test
	void awsKeepsTheSdkDefaultChecksums() {
		S3Target aws = new S3Target("attach-bucket", "", "eu-west-1", null, false, "AKIDEXAMPLE", SECRET,
				"STORAGE_URL");
		try (S3Client client = S3Clients.client(aws, this.properties)) {
			S3ServiceClientConfiguration configuration = client.serviceClientConfiguration();
			assertThat(configuration.requestChecksumCalculation())
				.isEqualTo(RequestChecksumCalculation.WHEN_SUPPORTED);
			assertThat(configuration.endpointOverride()).isEmpty();
			assertThat(configuration.region()).isEqualTo(Region.EU_WEST_1);
			assertThat(configuration.overrideConfiguration().executionInterceptors())
				.noneSatisfy((interceptor) -> assertThat(interceptor.getClass().getSimpleName())
					.isEqualTo("LegacyMd5ExecutionInterceptor"));
		}
	}

	@Test
	void aCustomEndpointWithoutRegionUsesUsEast1() {
		try (S3Client client = S3Clients.client(compatible(true), this.properties)) {
			assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
		}
	}

	@Test
	void awsWithoutARegionAnywhereFailsNamingTheSettingAndTheFix() {
		// Where the SDK looks besides the environment: this test's machine has no AWS_REGION, and no EC2 metadata.
		assertThat(System.getenv("AWS_REGION")).as("AWS_REGION of the machine running the tests").isNull();
		String[] properties = { "aws.region", "aws.configFile", "aws.disableEc2Metadata" };
		String[] saved = Arrays.stream(properties).map(System::getProperty).toArray(String[]::new);
		System.clearProperty("aws.region");
		System.setProperty("aws.configFile", "/nonexistent/attach-test-aws-config");
		System.setProperty("aws.disableEc2Metadata", "true");
		try {
			S3Target target = new S3Target("attach-bucket", "", null, null, false, "AKIDEXAMPLE", SECRET,
					"STORAGE_URL");
			assertThatExceptionOfType(InvalidSettingException.class)
				.isThrownBy(() -> S3Clients.client(target, this.properties))
				.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("STORAGE_URL"))
				.withMessageContaining("names the bucket 'attach-bucket' but no AWS region")
				.withMessageContaining("Add ?region=… to STORAGE_URL, or set AWS_REGION")
				.withMessageNotContaining(SECRET);
		}
		finally {
			for (int i = 0; i < properties.length; i++) {
				if (saved[i] != null) {
					System.setProperty(properties[i], saved[i]);
				}
				else {
					System.clearProperty(properties[i]);
				}
			}
		}
	}

	@Test
	void theRegionOfTheTargetWins() {
		S3Target target = new S3Target("attach-bucket", "", "auto", URI.create("https://r2.example.com"), true, null,
				null, "STORAGE_URL");
		try (S3Client client = S3Clients.client(target, this.properties)) {
			assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.of("auto"));
		}
	}

	@Test
	void credentialsFromTheUrlAreUsedAndNeverPrinted() {
		try (S3Client client = S3Clients.client(compatible(true), this.properties)) {
			S3ServiceClientConfiguration configuration = client.serviceClientConfiguration();
			AwsCredentialsIdentity identity = configuration.credentialsProvider().resolveIdentity().join();
			assertThat(identity.accessKeyId()).isEqualTo("AKIDEXAMPLE");
			assertThat(identity.secretAccessKey()).isEqualTo(SECRET);
			assertThat(identity.toString()).doesNotContain(SECRET);
			assertThat(configuration.credentialsProvider().toString()).doesNotContain(SECRET);
			assertThat(configuration.toString()).doesNotContain(SECRET);
			assertThat(client.toString()).doesNotContain(SECRET);
		}
	}

	@Test
	void withoutCredentialsInTheUrlTheDefaultChainIsUsed() {
		S3Target target = new S3Target("attach-bucket", "", null, URI.create("http://127.0.0.1:9000"), true, null,
				null, "STORAGE_URL");
		try (S3Client client = S3Clients.client(target, this.properties)) {
			assertThat(client.serviceClientConfiguration().credentialsProvider())
				.isInstanceOf(DefaultCredentialsProvider.class);
		}
	}

	@Test
	void pathStyleNamesTheBucketInThePath() {
		try (S3Presigner presigner = S3Clients.presigner(compatible(true))) {
			URI url = presign(presigner);
			assertThat(url.getHost()).isEqualTo("127.0.0.1");
			assertThat(url.getPath()).isEqualTo("/attach-bucket/avatars/42.png");
		}
	}

	@Test
	void virtualHostStyleNamesTheBucketInTheHost() {
		try (S3Presigner presigner = S3Clients.presigner(compatible(false))) {
			URI url = presign(presigner);
			assertThat(url.getHost()).isEqualTo("attach-bucket.minio.example.com");
			assertThat(url.getPath()).isEqualTo("/avatars/42.png");
		}
	}

	@Test
	void presignedUrlsCarryTheKeyIdButNeverTheSecret() {
		try (S3Presigner presigner = S3Clients.presigner(compatible(true))) {
			URI url = presign(presigner);
			assertThat(url.getQuery()).contains("X-Amz-Credential=AKIDEXAMPLE/").doesNotContain(SECRET);
			assertThat(url.toString()).doesNotContain(SECRET).doesNotContain("C4n4ry");
		}
	}

	private static URI presign(S3Presigner presigner) {
		try {
			return presigner
				.presignGetObject((request) -> request.signatureDuration(Duration.ofMinutes(5))
					.getObjectRequest((get) -> get.bucket("attach-bucket").key("avatars/42.png")))
				.url()
				.toURI();
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static S3Target compatible(boolean pathStyle) {
		URI endpoint = pathStyle ? URI.create("http://127.0.0.1:9000") : URI.create("https://minio.example.com");
		return new S3Target("attach-bucket", "", null, endpoint, pathStyle, "AKIDEXAMPLE", SECRET, "STORAGE_URL");
	}

}
