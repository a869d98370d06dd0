package io.attach.storage;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A file in a {@link FileStorage}: its key, size, content type, last modification, user metadata and SHA-256.
 *
 * @param key the key
 * @param size the size in bytes
 * @param contentType the content type
 * @param lastModified when it was last written
 * @param metadata user metadata
 * @param sha256 the content's SHA-256 in lower-case hex, or {@code null} when none is stored (a file not written
 * through attach; on S3, one uploaded in parts with {@code attach.storage.s3.store-multipart-sha256} off or larger than
 * 5 GiB) or a listing does not carry it
 * @author attach
 */
public record StoredFile(String key, long size, String contentType, Instant lastModified, Map<String, String> metadata,
		@Nullable String sha256) {

	/**
	 * Creates a description, copying the metadata.
	 * @param key the key
	 * @param size the size in bytes
	 * @param contentType the content type
	 * @param lastModified when it was last written
	 * @param metadata user metadata
	 * @param sha256 the SHA-256 in hex, or {@code null}
	 */
	public StoredFile {
		metadata = Map.copyOf(metadata);
	}

}
