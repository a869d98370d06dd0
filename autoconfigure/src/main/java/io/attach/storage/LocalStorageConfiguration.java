package io.attach.storage;

import org.springframework.context.annotation.Configuration;

/**
 * The local backend: a {@link StorageBackend} over a directory, and the endpoint that serves its presigned URLs.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
class LocalStorageConfiguration {

}
