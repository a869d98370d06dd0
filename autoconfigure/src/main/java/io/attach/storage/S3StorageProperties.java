package io.attach.storage;

/**
 * Configuration properties of the S3 storage backend, under {@code attach.storage.s3}.
 *
 * @author attach
 */
public class S3StorageProperties {

}
