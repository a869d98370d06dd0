package io.attach.storage;

/**
 * What a {@link FileStorage} backend is and can do, for callers and the attachments endpoint.
 *
 * @param backend the backend's name: {@code local} or {@code s3}
 * @param location where files go, without credentials: a directory or {@code s3://bucket/prefix}
 * @param presignedUrls whether presigned URLs work (the local backend's need the application to serve them)
 * @param serverSideCopy whether {@link FileStorage#copy} happens in the store without passing the bytes through
 * the application
 * @param maxFileSize the largest file the backend takes, in bytes
 * @author attach
 */
public record StorageCapabilities(String backend, String location, boolean presignedUrls, boolean serverSideCopy,
		long maxFileSize) {

}
