package io.attach.storage;

/**
 * Configuration properties of the local storage backend, under {@code attach.storage.local}.
 *
 * @author attach
 */
public class LocalStorageProperties {

}
