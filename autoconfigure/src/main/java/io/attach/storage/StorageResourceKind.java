package io.attach.storage;

import java.util.List;

import io.attach.core.ResourceKind;

/**
 * The {@code storage} resource: files kept in an S3-compatible bucket, from {@code STORAGE_URL=s3://…} (or
 * {@code S3_BUCKET}), or in a local directory, from {@code STORAGE_URL=file:///…}. {@code STORAGE_BACKEND} chooses
 * between the two; with nothing attached, files go to a local directory.
 *
 * @author attach
 */
final class StorageResourceKind extends ResourceKind {

	static final String RESOURCE = "storage";

	static final String LOCAL = "local";

	static final String S3 = "s3";

	StorageResourceKind() {
		// Degradable by default: an S3 outage should cost the storage endpoints, not every instance's readiness.
		super(define("storage", RESOURCE).variables("STORAGE_URL")
			.schemes("file", "s3")
			.guarded()
			// Boot has no storage check: the name is only the switch, management.health.storage.enabled.
			.replacesBootCheck(RESOURCE)
			// Local is selected by file:// and is the default with nothing attached, so it is not Backend.local(…),
			// which no scheme selects.
			.backends("STORAGE_BACKEND",
					new Backend(LOCAL, List.of("file"), false, "store files in a local directory"),
					Backend.attached(S3, "store files in the S3 bucket of STORAGE_URL", "s3"))
			.exampleUrl("s3://my-bucket/uploads?region=eu-west-1")
			.failures(StorageException.class.getName()));
		// No library(): the local backend needs no SDK, and an s3:// URL without it fails startup naming the
		// dependency (StorageEnvironmentPostProcessor), rather than leaving STORAGE_BACKEND unchecked.
	}

}
