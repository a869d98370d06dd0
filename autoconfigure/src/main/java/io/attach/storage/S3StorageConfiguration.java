package io.attach.storage;

import io.attach.core.ConditionalOnBackend;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The S3 backend: a {@link StorageBackend} over a bucket of any S3-compatible store.
 * <p>
 * The client and presigner are attach's own beans, injected only by name, so that code and other auto-configurations
 * (Spring Cloud AWS's {@code S3Client}) that look for an {@code S3Client} by type neither get nor back off for them.
 * All are lazy: built at startup for attach's {@link FileStorage}, never when a {@code FileStorage} of the user's
 * wins, so that an ignored {@code STORAGE_URL} needs no region nor opens a connection pool.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(resource = "storage", value = "s3")
@ConditionalOnClass(S3Client.class)
class S3StorageConfiguration {

	@Bean(defaultCandidate = false)
	@Lazy
	S3Client attachS3Client(S3Target target, AttachStorageProperties properties) {
		return S3Clients.client(target, properties.getS3());
	}

	@Bean(defaultCandidate = false)
	@Lazy
	S3Presigner attachS3Presigner(S3Target target) {
		return S3Clients.presigner(target);
	}

	@Bean
	@Lazy
	StorageBackend s3StorageBackend(S3Target target, AttachStorageProperties properties,
			@Qualifier("attachS3Client") S3Client client, @Qualifier("attachS3Presigner") S3Presigner presigner) {
		S3FileStorage storage = new S3FileStorage(client, presigner, target, properties.getS3());
		return new StorageBackend("s3", storage, storage::probe);
	}

}
