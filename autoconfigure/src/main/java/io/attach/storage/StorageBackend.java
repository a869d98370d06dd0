package io.attach.storage;

/**
 * One backend's {@link FileStorage}, before attach guards it, with the probe its health check runs.
 *
 * @param name the backend's name: {@code local} or {@code s3}
 * @param files the backend's storage, which throws {@link StorageUnavailableException} when its store cannot be
 * reached
 * @param probe a bounded check that the store works
 * @author attach
 */
record StorageBackend(String name, FileStorage files, StorageProbe probe) {

}
