package io.attach.storage;

import java.net.URI;

import io.attach.core.InvalidSettingException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the synchronous {@link S3Client} and the {@link S3Presigner} of an {@link S3Target}: finite timeouts,
 * retries by the SDK alone, and for a custom endpoint the profile every S3-compatible store accepts.
 *
 * @author attach
 */
final class S3Clients {

	/** The region of a custom endpoint given none: S3-compatible stores accept it, or ignore the region. */
	static final Region COMPATIBLE_REGION = Region.US_EAST_1;

	private S3Clients() {
	}

	/**
	 * Builds the client; the caller closes it.
	 * @param target the bucket and how to reach it
	 * @param properties the timeouts and retries
	 * @return the client
	 */
	static S3Client client(S3Target target, S3StorageProperties properties) {
		S3ClientBuilder builder = S3Client.builder()
			.httpClientBuilder(ApacheHttpClient.builder()
				.connectionTimeout(properties.getConnectTimeout())
				.socketTimeout(properties.getReadTimeout())
				.connectionAcquisitionTimeout(properties.getConnectionAcquisitionTimeout())
				.maxConnections(properties.getMaxConnections()))
			.overrideConfiguration((override) -> override.apiCallAttemptTimeout(properties.getApiCallAttemptTimeout())
				.apiCallTimeout(properties.getApiCallTimeout())
				// Retries happen here only; attach's breaker above counts the failures and never retries. The
				// SDK's own retry quota is off: it is a second breaker, which would open on its own terms.
				.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
					.toBuilder()
					.maxAttempts(properties.getMaxAttempts())
					.circuitBreakerEnabled(false)
					.build()))
			.credentialsProvider(credentials(target))
			.region(region(target))
			.forcePathStyle(target.pathStyle());
		URI endpoint = target.endpoint();
		if (endpoint != null) {
			// S3-compatible stores (MinIO, R2, GCS, Ceph, S3Proxy) refused the SDK's default checksums of 2.30 and
			// its aws-chunked bodies: checksums only where the API requires them, plain bodies, and Content-MD5 for
			// DeleteObjects, which older stores require.
			builder.endpointOverride(endpoint)
				.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
				.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
				.serviceConfiguration((configuration) -> configuration.chunkedEncodingEnabled(false))
				.addPlugin(LegacyMd5Plugin.create());
		}
		return builder.build();
	}

	/**
	 * Builds the presigner; the caller closes it.
	 * @param target the bucket and how to reach it
	 * @return the presigner
	 */
	static S3Presigner presigner(S3Target target) {
		S3Presigner.Builder builder = S3Presigner.builder()
			.credentialsProvider(credentials(target))
			.region(region(target))
			// The presigner has no client-level path style: S3Configuration is where it reads it.
			.serviceConfiguration(S3Configuration.builder()
				.pathStyleAccessEnabled(target.pathStyle())
				.chunkedEncodingEnabled(target.endpoint() == null)
				.build());
		URI endpoint = target.endpoint();
		if (endpoint != null) {
			builder.endpointOverride(endpoint);
		}
		return builder.build();
	}

	private static AwsCredentialsProvider credentials(S3Target target) {
		String accessKeyId = target.accessKeyId();
		String secretAccessKey = target.secretAccessKey();
		if (accessKeyId != null && secretAccessKey != null) {
			// The SDK's credentials print the key id only, never the secret.
			return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	static Region region(S3Target target) {
		String region = target.region();
		if (region != null) {
			return Region.of(region);
		}
		if (target.endpoint() != null) {
			return COMPATIBLE_REGION;
		}
		try {
			return DefaultAwsRegionProviderChain.builder().build().getRegion();
		}
		catch (SdkClientException ex) {
			// A setting's failure, reported as one by attach's failure analyzer rather than deep in a bean's causes.
			InvalidSettingException invalid = new InvalidSettingException(target.setting(),
					"names the bucket '" + target.bucket() + "' but no AWS region, and the SDK found none ("
							+ ex.getMessage() + ")",
					"Add ?region=… to " + target.setting() + ", or set AWS_REGION, or an endpoint=… for an "
							+ "S3-compatible store.");
			invalid.initCause(ex);
			throw invalid;
		}
	}

}
