package io.attach.storage;

import org.springframework.context.annotation.Configuration;

/**
 * The S3 backend: a {@link StorageBackend} over a bucket of any S3-compatible store.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
class S3StorageConfiguration {

}
