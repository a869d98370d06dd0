package io.attach.storage;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * Where the S3 backend keeps files, resolved from {@code STORAGE_URL=s3://…} and the S3 settings, in their one
 * documented precedence.
 *
 * @param bucket the bucket
 * @param prefix the key prefix inside the bucket, empty or ending with {@code /}
 * @param region the region, or {@code null} for the SDK's default chain
 * @param endpoint a custom endpoint (MinIO, R2, GCS, S3Proxy), or {@code null} for AWS
 * @param pathStyle whether requests name the bucket in the path instead of the host name
 * @param accessKeyId the access key from the URL's user info, or {@code null} for the SDK's default credentials
 * chain
 * @param secretAccessKey the secret from the URL's user info, or {@code null}
 * @param setting the setting the bucket came from, for messages
 * @author attach
 */
record S3Target(String bucket, String prefix, @Nullable String region, @Nullable URI endpoint, boolean pathStyle,
		@Nullable String accessKeyId, @Nullable String secretAccessKey, String setting) {

	@Override
	public String toString() {
		// Never the secret, even in a debugger's or a log's view of the record.
		return "S3Target[bucket=" + this.bucket + ", prefix=" + this.prefix + ", region=" + this.region + ", endpoint="
				+ this.endpoint + ", pathStyle=" + this.pathStyle + ", credentials="
				+ ((this.accessKeyId != null) ? "from URL" : "default chain") + ", setting=" + this.setting + "]";
	}

}
