package io.attach.storage;

import java.time.Duration;

import io.attach.core.InvalidSettingException;
import io.attach.core.Timeouts;

import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the S3 storage backend, under {@code attach.storage.s3}.
 *
 * @author attach
 */
public class S3StorageProperties {

	/** The smallest part S3 takes, except the last. */
	static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

	/** The largest part attach buffers: the largest byte array, rounded down to a mebibyte. */
	static final DataSize MAX_PART_SIZE = DataSize.ofMegabytes(2047);

	private static final String PREFIX = "attach.storage.s3.";

	private static final String CLIENT = "the AWS SDK";

	/**
	 * Size of the parts of a multipart upload, and the most a file may have to be stored by one PutObject; the memory
	 * one upload holds. Parts grow past it for streams too long for 10,000 parts.
	 */
	private DataSize partSize = DataSize.ofMegabytes(8);

	/**
	 * Whether a file uploaded in parts gets its SHA-256 stored in its metadata, as a file of one part does: by a copy
	 * of the object onto itself in the store once complete, which takes time in proportion to its size (up to 5 GiB;
	 * larger files keep none), adds a version in a versioned bucket and sends a second event notification. Off, such
	 * files report their SHA-256 from put() only.
	 */
	private boolean storeMultipartSha256 = true;

	/**
	 * Time to establish a connection to the store.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Time to wait for data from the store on an open connection.
	 */
	private Duration readTimeout = Duration.ofSeconds(30);

	/**
	 * Time to wait for a free connection of the pool when every connection is busy.
	 */
	private Duration connectionAcquisitionTimeout = Duration.ofSeconds(5);

	/**
	 * Time one attempt of a call that sends file content may take, a whole part's upload included: PutObject,
	 * UploadPart, CompleteMultipartUpload, and CopyObject of a file larger than one part.
	 */
	private Duration apiCallAttemptTimeout = Duration.ofSeconds(30);

	/**
	 * Time one call that sends file content may take, its retries included.
	 */
	private Duration apiCallTimeout = Duration.ofMinutes(2);

	/**
	 * Time one attempt of a call that sends no file content may take: HEAD, listing, deleting, copying a file of at
	 * most one part, a download until its answer starts (not the reading of its body), starting and aborting a
	 * multipart upload, the health check. Short, so that a store that stopped answering holds a request thread for
	 * seconds, not the time of a part's upload.
	 */
	private Duration metadataCallAttemptTimeout = Duration.ofSeconds(5);

	/**
	 * Time one call that sends no file content may take, its retries included.
	 */
	private Duration metadataCallTimeout = Duration.ofSeconds(10);

	/**
	 * Most attempts of one call, the first included: the SDK retries connection failures, throttling and 5xx
	 * answers; 1 turns retries off.
	 */
	private int maxAttempts = 3;

	/**
	 * Most connections open to the store at once.
	 */
	private int maxConnections = 50;

	public DataSize getPartSize() {
		return this.partSize;
	}

	public void setPartSize(DataSize partSize) {
		if (partSize.compareTo(MIN_PART_SIZE) < 0 || partSize.compareTo(MAX_PART_SIZE) > 0) {
			throw new InvalidSettingException(PREFIX + "part-size", "is " + partSize + ", outside what S3 and a "
					+ "Java array take", "Give a size from " + MIN_PART_SIZE + " to " + MAX_PART_SIZE + ", such as 8MB.");
		}
		this.partSize = partSize;
	}

	public boolean isStoreMultipartSha256() {
		return this.storeMultipartSha256;
	}

	public void setStoreMultipartSha256(boolean storeMultipartSha256) {
		this.storeMultipartSha256 = storeMultipartSha256;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = Timeouts.requirePositive(PREFIX + "connect-timeout", connectTimeout, CLIENT, null);
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = Timeouts.requirePositive(PREFIX + "read-timeout", readTimeout, CLIENT, null);
	}

	public Duration getConnectionAcquisitionTimeout() {
		return this.connectionAcquisitionTimeout;
	}

	public void setConnectionAcquisitionTimeout(Duration connectionAcquisitionTimeout) {
		this.connectionAcquisitionTimeout = Timeouts.requirePositive(PREFIX + "connection-acquisition-timeout",
				connectionAcquisitionTimeout, CLIENT, null);
	}

	public Duration getApiCallAttemptTimeout() {
		return this.apiCallAttemptTimeout;
	}

	public void setApiCallAttemptTimeout(Duration apiCallAttemptTimeout) {
		this.apiCallAttemptTimeout = Timeouts.requirePositive(PREFIX + "api-call-attempt-timeout",
				apiCallAttemptTimeout, CLIENT, null);
	}

	public Duration getApiCallTimeout() {
		return this.apiCallTimeout;
	}

	public void setApiCallTimeout(Duration apiCallTimeout) {
		this.apiCallTimeout = Timeouts.requirePositive(PREFIX + "api-call-timeout", apiCallTimeout, CLIENT, null);
	}

	public Duration getMetadataCallAttemptTimeout() {
		return this.metadataCallAttemptTimeout;
	}

	public void setMetadataCallAttemptTimeout(Duration metadataCallAttemptTimeout) {
		this.metadataCallAttemptTimeout = Timeouts.requirePositive(PREFIX + "metadata-call-attempt-timeout",
				metadataCallAttemptTimeout, CLIENT, null);
	}

	public Duration getMetadataCallTimeout() {
		return this.metadataCallTimeout;
	}

	public void setMetadataCallTimeout(Duration metadataCallTimeout) {
		this.metadataCallTimeout = Timeouts.requirePositive(PREFIX + "metadata-call-timeout", metadataCallTimeout,
				CLIENT, null);
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	public void setMaxAttempts(int maxAttempts) {
		if (maxAttempts < 1) {
			throw new InvalidSettingException(PREFIX + "max-attempts", "is " + maxAttempts + ", below one attempt",
					"Give 1 for no retries, or a small number such as 3.");
		}
		this.maxAttempts = maxAttempts;
	}

	public int getMaxConnections() {
		return this.maxConnections;
	}

	public void setMaxConnections(int maxConnections) {
		if (maxConnections < 1) {
			throw new InvalidSettingException(PREFIX + "max-connections", "is " + maxConnections + ", below one",
					"Give a positive number such as 50.");
		}
		this.maxConnections = maxConnections;
	}

}
