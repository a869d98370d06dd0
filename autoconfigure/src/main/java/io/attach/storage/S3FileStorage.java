package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A {@link FileStorage} over a bucket of any S3-compatible store, keys stored under the target's prefix.
 * <p>
 * Writes are whole or absent: S3 makes an object visible only once its {@code PutObject} or
 * {@code CompleteMultipartUpload} succeeded, and a multipart upload that fails is aborted ({@link S3Upload}).
 *
 * @author attach
 */
final class S3FileStorage implements FileStorage {

	/** S3's largest object. */
	static final long MAX_FILE_SIZE = 5L * 1024 * 1024 * 1024 * 1024;

	/** The most keys one {@code DeleteObjects} or one listing page takes. */
	static final int BATCH = 1000;

	/** The shortest a presigned URL lives: SigV4 counts whole seconds. */
	static final Duration MIN_PRESIGN_EXPIRY = Duration.ofSeconds(1);

	/** The longest a SigV4 presigned URL lives. */
	static final Duration MAX_PRESIGN_EXPIRY = Duration.ofDays(7);

	private final S3Client client;

	private final S3Presigner presigner;

	private final S3Target target;

	private final long partSize;

	private final StorageCapabilities capabilities;

	private final AwsRequestOverrideConfiguration metadataCall;

	private final boolean storeMultipartSha256;

	S3FileStorage(S3Client client, S3Presigner presigner, S3Target target, S3StorageProperties properties) {
		this.client = client;
		this.presigner = presigner;
		this.target = target;
		this.partSize = properties.getPartSize().toBytes();
		this.metadataCall = metadataCall(properties);
		this.storeMultipartSha256 = properties.isStoreMultipartSha256();
		this.capabilities = new StorageCapabilities("s3", "s3://" + target.bucket() + "/" + target.prefix(), true, true,
				MAX_FILE_SIZE);
	}

	@Override
	public StoredFile put(String key, InputStream content, PutOptions options) {
		return upload(key, options).run(content);
	}

	@Override
	public StoredFile put(String key, byte[] content, PutOptions options) {
		S3Upload upload = upload(key, options);
		return (content.length <= this.partSize) ? upload.runSingle(content)
				: upload.run(new ByteArrayInputStream(content));
	}

	@Override
	public StoredFile put(String key, Path file, PutOptions options) {
		S3Upload upload = upload(key, options);
		try (InputStream content = Files.newInputStream(file)) {
			return upload.run(content);
		}
		catch (IOException ex) {
			throw new StorageException("Reading the file " + file + " for '" + key + "' failed; nothing was stored",
					ex);
		}
	}

	// Checked as the local backend checks them, before any call: what one backend refuses, every backend refuses.
	private S3Upload upload(String key, PutOptions options) {
		StorageKeys.check(key);
		objectKey(key);
		if (options.contentType() != null) {
			StorageKeys.checkContentType(options.contentType());
		}
		StorageKeys.checkMetadata(options.metadata());
		return new S3Upload(this.client, this.target, key, options, this.partSize, this.metadataCall,
				this.storeMultipartSha256);
	}

	@Override
	public StoredFile stat(String key) {
		StorageKeys.check(key);
		try {
			return stored(key, head(key));
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "HeadObject", this.target, key);
		}
	}

	@Override
	public boolean exists(String key) {
		StorageKeys.check(key);
		try {
			head(key);
			return true;
		}
		catch (SdkException ex) {
			if (S3Errors.isStatus(ex, 404)) {
				return false;
			}
			throw S3Errors.translate(ex, "HeadObject", this.target, key);
		}
	}

	@Override
	public InputStream open(String key) {
		StorageKeys.check(key);
		try {
			// The timeouts end when the answer starts: reading the body is bounded by the read timeout alone.
			return new S3Download(this.client.getObject((request) -> request.bucket(this.target.bucket())
				.key(objectKey(key))
				.overrideConfiguration(this.metadataCall)));
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "GetObject", this.target, key);
		}
	}

	@Override
	public InputStream open(String key, long offset, long length) {
		StorageKeys.check(key);
		if (offset < 0 || length < 0) {
			throw new IllegalArgumentException("Offset " + offset + " and length " + length + " must not be negative");
		}
		if (length == 0) {
			// No range names zero bytes: the file must exist all the same.
			stat(key);
			return InputStream.nullInputStream();
		}
		long last = (offset > Long.MAX_VALUE - length) ? Long.MAX_VALUE - 1 : offset + length - 1;
		try {
			ResponseInputStream<GetObjectResponse> content = this.client.getObject((request) -> request
				.bucket(this.target.bucket())
				.key(objectKey(key))
				.range("bytes=" + offset + "-" + last)
				.overrideConfiguration(this.metadataCall));
			return new S3Download(content);
		}
		catch (SdkException ex) {
			if (S3Errors.isStatus(ex, 416)) {
				// The range starts at or past the end of a file that exists.
				return InputStream.nullInputStream();
			}
			throw S3Errors.translate(ex, "GetObject", this.target, key);
		}
	}

	@Override
	public void delete(String key) {
		StorageKeys.check(key);
		try {
			this.client.deleteObject((request) -> request.bucket(this.target.bucket())
				.key(objectKey(key))
				.overrideConfiguration(this.metadataCall));
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "DeleteObject", this.target, key);
		}
	}

	@Override
	public void deleteAll(Collection<String> keys) {
		List<ObjectIdentifier> batch = new ArrayList<>(Math.min(keys.size(), BATCH));
		keys.forEach(StorageKeys::check);
		for (String key : keys) {
			batch.add(ObjectIdentifier.builder().key(objectKey(key)).build());
			if (batch.size() == BATCH) {
				deleteBatch(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			deleteBatch(batch);
		}
	}

	private void deleteBatch(List<ObjectIdentifier> batch) {
		DeleteObjectsResponse response;
		try {
			response = this.client.deleteObjects((request) -> request.bucket(this.target.bucket())
				.delete((delete) -> delete.objects(batch).quiet(true))
				.overrideConfiguration(this.metadataCall));
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "DeleteObjects", this.target, null);
		}
		// DeleteObjects answers 200 even when some keys failed: the errors are in the body.
		List<S3Error> errors = response.errors().stream().filter((error) -> !"NoSuchKey".equals(error.code())).toList();
		if (!errors.isEmpty()) {
			S3Error first = errors.get(0);
			throw new StorageException("DeleteObjects in bucket '" + this.target.bucket() + "' failed for "
					+ errors.size() + " of " + batch.size() + " keys, such as '" + key(first.key()) + "': "
					+ first.code() + ((first.message() != null) ? " (" + first.message() + ")" : ""), null);
		}
	}

	@Override
	public Stream<StoredFile> list(String prefix) {
		StorageKeys.checkPrefix(prefix);
		Iterable<S3Object> pages = this.client
			.listObjectsV2Paginator((request) -> request.bucket(this.target.bucket())
				.prefix(objectKey(prefix))
				.overrideConfiguration(this.metadataCall))
			.contents();
		// The paginator calls the store when its iterator is created and whenever a page is used up.
		Iterator<StoredFile> files = new Iterator<>() {

			private @Nullable Iterator<S3Object> objects;

			private @Nullable StoredFile next;

			@Override
			public boolean hasNext() {
				try {
					while (this.next == null && objects().hasNext()) {
						S3Object object = objects().next();
						this.next = isListable(object) ? listed(object) : null;
					}
					return this.next != null;
				}
				catch (SdkException ex) {
					throw S3Errors.translate(ex, "ListObjectsV2", S3FileStorage.this.target, null);
				}
			}

			@Override
			public StoredFile next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				StoredFile next = Objects.requireNonNull(this.next);
				this.next = null;
				return next;
			}

			private Iterator<S3Object> objects() {
				Iterator<S3Object> objects = this.objects;
				if (objects == null) {
					objects = pages.iterator();
					this.objects = objects;
				}
				return objects;
			}

		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(files, Spliterator.ORDERED | Spliterator.NONNULL),
				false);
	}

	@Override
	public FilePage listPage(String prefix, @Nullable String startAfter, int limit) {
		StorageKeys.checkPrefix(prefix);
		if (startAfter != null) {
			// Any key the store listed may continue a listing, also one that the grammar refuses and the listing skipped.
			checkStartAfter(startAfter);
		}
		if (limit < 1 || limit > BATCH) {
			throw new IllegalArgumentException("Limit " + limit + " is not from 1 to " + BATCH);
		}
		try {
			ListObjectsV2Response response = this.client.listObjectsV2((request) -> {
				request.bucket(this.target.bucket())
					.prefix(objectKey(prefix))
					.maxKeys(limit)
					.overrideConfiguration(this.metadataCall);
				if (startAfter != null) {
					request.startAfter(objectKey(startAfter));
				}
			});
			List<S3Object> objects = response.contents();
			// Keys other tools wrote that the grammar refuses (a console's "folder/" marker, "a//b") are skipped, as on
			// local disk: no call of this API could name them. The page goes on after the last key listed, skipped or not.
			List<StoredFile> files = objects.stream().filter(this::isListable).map(this::listed).toList();
			boolean more = Boolean.TRUE.equals(response.isTruncated()) && !objects.isEmpty();
			return new FilePage(files, more ? key(objects.get(objects.size() - 1).key()) : null);
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "ListObjectsV2", this.target, null);
		}
	}

	@Override
	public StoredFile copy(String sourceKey, String targetKey) {
		StorageKeys.check(sourceKey);
		StorageKeys.check(targetKey);
		HeadObjectResponse source;
		try {
			source = head(sourceKey);
		}
		catch (SdkException ex) {
			throw S3Errors.translate(ex, "HeadObject", this.target, sourceKey);
		}
		if (source.contentLength() != null && source.contentLength() > S3Upload.MAX_COPY_SIZE) {
			throw new StorageException("Copying '" + sourceKey + "' failed: it has " + source.contentLength()
					+ " bytes, and S3 copies at most 5 GiB in one call; copy it by reading and storing it", null);
		}
		// S3 copies large files for a while before it answers: those get the time of an upload.
		boolean small = source.contentLength() != null && source.contentLength() <= this.partSize;
		try {
			CopyObjectResponse copied = this.client.copyObject((request) -> {
				request.sourceBucket(this.target.bucket())
					.sourceKey(objectKey(sourceKey))
					.destinationBucket(this.target.bucket())
					.destinationKey(objectKey(targetKey))
					// The copy is of the file described, or fails.
					.copySourceIfMatch(source.eTag());
				if (small) {
					request.overrideConfiguration(this.metadataCall);
				}
			});
			StoredFile described = stored(targetKey, source);
			return new StoredFile(targetKey, described.size(), described.contentType(),
					copied.copyObjectResult().lastModified(), described.metadata(), described.sha256());
		}
		catch (SdkException ex) {
			if (S3Errors.isStatus(ex, 412)) {
				throw new StorageException("Copying '" + sourceKey + "' failed: it changed while being copied; try again",
						ex);
			}
			throw S3Errors.translate(ex, "CopyObject", this.target, sourceKey);
		}
	}

	@Override
	public URI presignGet(String key, Duration expiry) {
		StorageKeys.check(key);
		checkExpiry(expiry);
		return uri(this.presigner
			.presignGetObject((request) -> request.signatureDuration(expiry)
				.getObjectRequest((get) -> get.bucket(this.target.bucket()).key(objectKey(key))))
			.url()
			.toString());
	}

	@Override
	public URI presignPut(String key, Duration expiry, @Nullable String contentType) {
		StorageKeys.check(key);
		checkExpiry(expiry);
		if (contentType != null) {
			StorageKeys.checkContentType(contentType);
		}
		return uri(this.presigner.presignPutObject((request) -> request.signatureDuration(expiry).putObjectRequest((put) -> {
			put.bucket(this.target.bucket()).key(objectKey(key));
			if (contentType != null) {
				// Signed: an upload declaring another content type is refused.
				put.contentType(contentType);
			}
		})).url().toString());
	}

	@Override
	public StorageCapabilities capabilities() {
		return this.capabilities;
	}

	/**
	 * Checks that the bucket answers, within the client's timeouts: a listing of at most one key under the prefix.
	 * Access denied to listing still proves the store reachable and the credentials valid (a bad key or signature
	 * has its own codes), so it passes: least-privilege policies often grant object access only.
	 * @throws StorageException if the store cannot be reached or refuses the credentials
	 */
	void probe() {
		try {
			this.client.listObjectsV2((request) -> request.bucket(this.target.bucket())
				.prefix(this.target.prefix())
				.maxKeys(1)
				.overrideConfiguration(this.metadataCall));
		}
		catch (SdkException ex) {
			if (ex instanceof AwsServiceException service
					&& service.statusCode() == 403 && "AccessDenied".equals(S3Errors.errorCode(service))) {
				return;
			}
			throw S3Errors.translate(ex, "ListObjectsV2", this.target, null);
		}
	}

	private HeadObjectResponse head(String key) {
		return this.client.headObject((request) -> request.bucket(this.target.bucket())
			.key(objectKey(key))
			.overrideConfiguration(this.metadataCall));
	}

	/**
	 * The timeouts of calls that send no file content, in place of the client's, which allow for a part's upload.
	 * @param properties the settings
	 * @return the per-request configuration
	 */
	static AwsRequestOverrideConfiguration metadataCall(S3StorageProperties properties) {
		return AwsRequestOverrideConfiguration.builder()
			.apiCallAttemptTimeout(properties.getMetadataCallAttemptTimeout())
			.apiCallTimeout(properties.getMetadataCallTimeout())
			.build();
	}

	private StoredFile stored(String key, HeadObjectResponse head) {
		Map<String, String> metadata = new LinkedHashMap<>(head.metadata());
		String sha256 = metadata.remove(S3Upload.SHA256);
		String contentType = (head.contentType() != null) ? head.contentType() : S3Upload.DEFAULT_CONTENT_TYPE;
		long size = (head.contentLength() != null) ? head.contentLength() : 0;
		return new StoredFile(key, size, contentType, head.lastModified(), metadata, sha256);
	}

	private boolean isListable(S3Object object) {
		return object.key().startsWith(this.target.prefix()) && StorageKeys.isValid(key(object.key()));
	}

	private static void checkStartAfter(String startAfter) {
		if (startAfter.isEmpty() || startAfter.length() > StorageKeys.MAX_BYTES
				|| startAfter.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidStorageKeyException("A listing cannot start after '"
					+ startAfter.replaceAll("\\p{Cntrl}", "?") + "': give the last key of the previous page", null);
		}
	}

	// A listing carries neither content type nor metadata: a stat of each file would cost a call per file.
	private StoredFile listed(S3Object object) {
		return new StoredFile(key(object.key()), object.size(), S3Upload.DEFAULT_CONTENT_TYPE, object.lastModified(),
				Map.of(), null);
	}

	private String objectKey(String key) {
		String objectKey = this.target.prefix() + key;
		if (objectKey.getBytes(StandardCharsets.UTF_8).length > StorageKeys.MAX_BYTES) {
			// The grammar allows 1,024 bytes, and S3 allows as much for the prefix and the key together.
			throw new InvalidStorageKeyException("Storage key '" + key.substring(0, Math.min(key.length(), 80))
					+ "…' is too long for this bucket: with the prefix '" + this.target.prefix() + "' of "
					+ this.target.setting() + " it exceeds S3's " + StorageKeys.MAX_BYTES + " bytes", null);
		}
		return objectKey;
	}

	private String key(String objectKey) {
		return objectKey.startsWith(this.target.prefix()) ? objectKey.substring(this.target.prefix().length())
				: objectKey;
	}

	private static void checkExpiry(Duration expiry) {
		if (expiry.compareTo(MIN_PRESIGN_EXPIRY) < 0 || expiry.compareTo(MAX_PRESIGN_EXPIRY) > 0) {
			throw new IllegalArgumentException("A presigned URL's expiry must be 1 second to 7 days, not " + expiry);
		}
	}

	private static URI uri(String url) {
		try {
			return new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("The SDK presigned an invalid URL", ex);
		}
	}

}
