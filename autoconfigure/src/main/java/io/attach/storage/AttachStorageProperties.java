package io.attach.storage;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration properties for attached file storage.
 *
 * @author attach
 */
@ConfigurationProperties("attach.storage")
public class AttachStorageProperties {

	/**
	 * Where files go: 's3' to the bucket STORAGE_URL names, 'local' to a directory. Defaults to STORAGE_BACKEND, else
	 * what STORAGE_URL's scheme says, else 'local'.
	 */
	private @Nullable String backend;

	/**
	 * Directory of the local backend when no STORAGE_URL is attached, relative to the working directory unless
	 * absolute. Defaults to '.attach/storage' under the working directory.
	 */
	private @Nullable Path directory;

	/**
	 * Settings of the local backend.
	 */
	@NestedConfigurationProperty
	private final LocalStorageProperties local = new LocalStorageProperties();

	/**
	 * Settings of the S3 backend.
	 */
	@NestedConfigurationProperty
	private final S3StorageProperties s3 = new S3StorageProperties();

	public @Nullable String getBackend() {
		return this.backend;
	}

	public void setBackend(@Nullable String backend) {
		this.backend = backend;
	}

	public @Nullable Path getDirectory() {
		return this.directory;
	}

	public void setDirectory(@Nullable Path directory) {
		this.directory = directory;
	}

	public LocalStorageProperties getLocal() {
		return this.local;
	}

	public S3StorageProperties getS3() {
		return this.s3;
	}

}
