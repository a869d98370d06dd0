package io.attach.storage;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link S3Errors}: which SDK failures are an unreachable store, and which a configuration to fix.
 *
 * @author attach
 */
class S3ErrorsTests {

	private static final S3Target TARGET = new S3Target("attach-bucket", "", "eu-west-1", null, false, null, null,
			"STORAGE_URL");

	@Test
	void missingCredentialsAreAConfigurationToFixNotAnOutage() {
		SdkClientException ex = SdkClientException.create("Unable to load credentials from any of the providers in "
				+ "the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider()])");
		StorageException translated = S3Errors.translate(ex, "PutObject", TARGET, "avatars/1");
		assertThat(translated).isNotInstanceOf(StorageUnavailableException.class)
			.hasMessageContaining("no AWS credentials were found for the bucket 'attach-bucket' of STORAGE_URL")
			.hasMessageContaining("SystemPropertyCredentialsProvider")
			.hasCause(ex);
	}

	@Test
	void aFailureToReachTheStoreIsAnOutageThatSaysWhatTheClientSaw() {
		SdkClientException ex = SdkClientException.create("Unable to execute HTTP request: Connection refused");
		StorageException translated = S3Errors.translate(ex, "HeadObject", TARGET, "avatars/1");
		assertThat(translated).isInstanceOf(StorageUnavailableException.class)
			.hasMessage("HeadObject of 'avatars/1' in bucket 'attach-bucket' failed: the store could not be reached "
					+ "(SdkClientException: Unable to execute HTTP request: Connection refused)");
	}

}
