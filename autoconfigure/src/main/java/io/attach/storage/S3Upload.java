package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * One {@link FileStorage#put} of a stream of unknown length to S3: a single {@code PutObject} when the stream ends
 * within one part, else a multipart upload that holds one part in memory and is aborted on any failure, the
 * caller's stream's included. The content's SHA-256 is computed on the way and stored as the user metadata
 * {@value #SHA256} (after a multipart upload, unless turned off, by a copy onto itself).
 *
 * @author attach
 */
final class S3Upload {

	// The first read's buffer sizes before the part size, while the stream keeps filling it.
	private static final int[] FIRST_BUFFER_SIZES = { 64 * 1024, 1024 * 1024 };

	/** The user metadata entry holding the content's SHA-256 in lower-case hex. */
	static final String SHA256 = "attach-sha256";

	/** The content type of a file stored without one. */
	static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	/** The most parts of a multipart upload. */
	static final int MAX_PARTS = 10_000;

	/** The largest object {@code CopyObject} copies: larger multipart objects keep no stored SHA-256. */
	static final long MAX_COPY_SIZE = 5L * 1024 * 1024 * 1024;

	private static final Log logger = LogFactory.getLog(S3Upload.class);

	// Parts double every thousand parts: 10,000 parts of 8 MiB upward hold more than S3's 5 TiB.
	private static final int PARTS_PER_SIZE = 1000;

	private final S3Client client;

	private final S3Target target;

	private final String key;

	private final String objectKey;

	private final PutOptions options;

	private final String contentType;

	private final long partSize;

	private final AwsRequestOverrideConfiguration metadataCall;

	private final boolean storeMultipartSha256;

	private final MessageDigest digest = sha256();

	S3Upload(S3Client client, S3Target target, String key, PutOptions options, long partSize,
			AwsRequestOverrideConfiguration metadataCall, boolean storeMultipartSha256) {
		this.client = client;
		this.target = target;
		this.key = key;
		this.objectKey = target.prefix() + key;
		this.options = options;
		this.contentType = (options.contentType() != null) ? options.contentType() : DEFAULT_CONTENT_TYPE;
		this.partSize = partSize;
		this.metadataCall = metadataCall;
		this.storeMultipartSha256 = storeMultipartSha256;
	}

	/**
	 * The size of a part: the configured size, doubled for every thousand parts before it, at most the largest
	 * array.
	 * @param base the configured part size
	 * @param partNumber the part's number, from 1
	 * @return its size in bytes
	 */
	static int partSize(long base, int partNumber) {
		int doublings = Math.min((partNumber - 1) / PARTS_PER_SIZE, 16);
		return (int) Math.min(base << doublings, S3StorageProperties.MAX_PART_SIZE.toBytes());
	}

	/**
	 * Stores the stream, to its end.
	 * @param content the content, not closed
	 * @return the stored file
	 */
	StoredFile run(InputStream content) {
		int max = partSize(this.partSize, 1);
		// Grown in two steps as the stream fills it, never allocated whole up front: most files are far smaller than
		// a part, and a part-sized array per small put cost more than the upload itself (benchmarks/README.md, file
		// storage). Two steps, not doubling, so that the last copy holds little more than the part.
		byte[] buffer = new byte[Math.min(FIRST_BUFFER_SIZES[0], max)];
		int filled = read(content, buffer, 0);
		int next = (filled < buffer.length) ? -1 : peek(content);
		for (int step = 1; next != -1 && buffer.length < max; step++) {
			// A stream that ends exactly at a buffer's size (1 MiB, say) is sent from it without growing it first.
			int size = (step < FIRST_BUFFER_SIZES.length) ? Math.min(FIRST_BUFFER_SIZES[step], max) : max;
			buffer = Arrays.copyOf(buffer, size);
			buffer[filled] = (byte) next;
			filled = read(content, buffer, filled + 1);
			next = (filled < buffer.length) ? -1 : peek(content);
		}
		if (next == -1) {
			return putObject(buffer, filled);
		}
		return multipart(content, buffer, next);
	}

	/**
	 * Stores bytes that fit one part.
	 * @param content the content
	 * @return the stored file
	 */
	StoredFile runSingle(byte[] content) {
		return putObject(content, content.length);
	}

	private StoredFile putObject(byte[] buffer, int length) {
		this.digest.update(buffer, 0, length);
		String sha256 = HexFormat.of().formatHex(this.digest.digest());
		try {
			PutObjectResponse response = this.client.putObject((request) -> {
				request.bucket(this.target.bucket())
					.key(this.objectKey)
					.contentType(this.contentType)
					.contentLength((long) length)
					.metadata(metadata(sha256));
				if (this.options.failIfExists()) {
					request.ifNoneMatch("*");
				}
			}, body(buffer, length));
			return stored(length, date(response.sdkHttpResponse()), sha256);
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "PutObject", this.target, this.key);
		}
	}

	private StoredFile multipart(InputStream content, byte[] first, int firstNext) {
		if (this.options.failIfExists() && exists()) {
			// Not the decision (CompleteMultipartUpload's condition is), but spares uploading every part for nothing.
			throw new StorageFileExistsException(
					"A file '" + this.key + "' already exists in bucket '" + this.target.bucket() + "'", null);
		}
		String uploadId;
		try {
			uploadId = this.client.createMultipartUpload((request) -> request.bucket(this.target.bucket())
				.key(this.objectKey)
				.contentType(this.contentType)
				.metadata(this.options.metadata())
				.overrideConfiguration(this.metadataCall)).uploadId();
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "CreateMultipartUpload", this.target, this.key);
		}
		try {
			return uploadParts(content, first, firstNext, uploadId);
		}
		catch (RuntimeException | Error ex) {
			abort(uploadId, ex);
			throw ex;
		}
	}

	private StoredFile uploadParts(InputStream content, byte[] first, int firstNext, String uploadId) {
		List<CompletedPart> parts = new ArrayList<>();
		byte[] buffer = first;
		int filled = buffer.length;
		int next = firstNext;
		long size = 0;
		String operation = "UploadPart";
		try {
			while (true) {
				int partNumber = parts.size() + 1;
				this.digest.update(buffer, 0, filled);
				int length = filled;
				String eTag = this.client.uploadPart((request) -> request.bucket(this.target.bucket())
					.key(this.objectKey)
					.uploadId(uploadId)
					.partNumber(partNumber)
					.contentLength((long) length), body(buffer, length)).eTag();
				parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
				size += length;
				if (next == -1) {
					break;
				}
				if (partNumber == MAX_PARTS) {
					throw new StorageException("Storing '" + this.key + "' failed: the content is longer than "
							+ MAX_PARTS + " parts of up to " + S3StorageProperties.MAX_PART_SIZE
							+ " hold; nothing was stored", null);
				}
				int nextSize = partSize(this.partSize, partNumber + 1);
				if (nextSize != buffer.length) {
					buffer = new byte[nextSize];
				}
				buffer[0] = (byte) next;
				filled = read(content, buffer, 1);
				next = (filled < buffer.length) ? -1 : peek(content);
			}
			operation = "CompleteMultipartUpload";
			CompleteMultipartUploadResponse completed = this.client.completeMultipartUpload((request) -> {
				request.bucket(this.target.bucket())
					.key(this.objectKey)
					.uploadId(uploadId)
					.multipartUpload((upload) -> upload.parts(parts));
				if (this.options.failIfExists()) {
					request.ifNoneMatch("*");
				}
			});
			String sha256 = HexFormat.of().formatHex(this.digest.digest());
			Instant lastModified = storeSha256(completed.eTag(), size, sha256);
			return stored(size, (lastModified != null) ? lastModified : date(completed.sdkHttpResponse()), sha256);
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, operation, this.target, this.key);
		}
	}

	// The hash is known only once the parts are up, after CreateMultipartUpload fixed the metadata: a copy onto
	// itself, in the store, replaces the metadata, if the object is still the one just completed.
	private @Nullable Instant storeSha256(@Nullable String eTag, long size, String sha256) {
		if (!this.storeMultipartSha256 || size > MAX_COPY_SIZE || eTag == null) {
			return null;
		}
		try {
			CopyObjectResponse copied = this.client.copyObject((request) -> request.sourceBucket(this.target.bucket())
				.sourceKey(this.objectKey)
				.destinationBucket(this.target.bucket())
				.destinationKey(this.objectKey)
				.copySourceIfMatch(eTag)
				.metadataDirective(MetadataDirective.REPLACE)
				.contentType(this.contentType)
				.metadata(metadata(sha256)));
			return (copied.copyObjectResult() != null) ? copied.copyObjectResult().lastModified() : null;
		}
		catch (SdkException ex) {
			// The file is stored whole; only its stored checksum is missing, or another writer replaced it since.
			logger.warn("Stored '" + this.key + "' in bucket '" + this.target.bucket()
					+ "' without its SHA-256 in the metadata: " + S3Errors.translate(ex, "CopyObject", this.target,
							this.key).getMessage());
			return null;
		}
	}

	private boolean exists() {
		try {
			this.client.headObject((request) -> request.bucket(this.target.bucket())
				.key(this.objectKey)
				.overrideConfiguration(this.metadataCall));
			return true;
		}
		catch (SdkException ex) {
			if (S3Errors.isStatus(ex, 404)) {
				return false;
			}
			throw S3Errors.translate(ex, "HeadObject", this.target, this.key);
		}
	}

	private void abort(String uploadId, Throwable failure) {
		// The SDK refuses every call on an interrupted thread, and the parts would stay (and be billed) until a
		// lifecycle rule removes them: the abort runs with the interrupt cleared, and the interrupt is kept after.
		boolean interrupted = Thread.interrupted();
		try {
			this.client.abortMultipartUpload((request) -> request.bucket(this.target.bucket())
				.key(this.objectKey)
				.uploadId(uploadId)
				.overrideConfiguration(this.metadataCall));
		}
		catch (RuntimeException ex) {
			// The store keeps the parts until a lifecycle rule (AbortIncompleteMultipartUpload) removes them.
			failure.addSuppressed(ex);
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private Map<String, String> metadata(String sha256) {
		Map<String, String> metadata = new LinkedHashMap<>(this.options.metadata());
		metadata.put(SHA256, sha256);
		return metadata;
	}

	private StoredFile stored(long size, Instant lastModified, String sha256) {
		return new StoredFile(this.key, size, this.contentType, lastModified, this.options.metadata(), sha256);
	}

	// No copy of the buffer, and a new stream for each attempt, so that the SDK can retry the part.
	private static RequestBody body(byte[] buffer, int length) {
		return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
				DEFAULT_CONTENT_TYPE);
	}

	private int read(InputStream content, byte[] buffer, int offset) {
		try {
			return offset + content.readNBytes(buffer, offset, buffer.length - offset);
		}
		catch (IOException ex) {
			throw unreadable(ex);
		}
	}

	private int peek(InputStream content) {
		try {
			return content.read();
		}
		catch (IOException ex) {
			throw unreadable(ex);
		}
	}

	private StorageException unreadable(IOException ex) {
		return new StorageException("Reading the content of '" + this.key + "' failed; nothing was stored", ex);
	}

	private static Instant date(SdkHttpResponse response) {
		try {
			return response.firstMatchingHeader("Date")
				.map((date) -> ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
				.orElseGet(Instant::now);
		}
		catch (DateTimeParseException ex) {
			return Instant.now();
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
