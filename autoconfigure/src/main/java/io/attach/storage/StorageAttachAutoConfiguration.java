package io.attach.storage;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.core.ConditionalOnBackend;
import io.attach.core.ConnectionDetailsPrecedenceLogger;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceGuard;
import io.attach.resilience.ResourceGuards;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} that turns
 * {@code STORAGE_URL} (or {@code S3_BUCKET}) into the application's {@link FileStorage}: a bucket of any
 * S3-compatible store or a local directory, and with nothing attached a local directory under the working directory.
 * <p>
 * Attached, the storage goes through the resource's circuit breaker ({@link GuardedFileStorage}). A
 * {@code FileStorage} bean of the user's wins, and startup says so. Each backend's configuration provides its
 * {@link StorageBackend} from the {@link LocalTarget} or {@link S3Target} resolved here.
 *
 * @author attach
 */
@AutoConfiguration(after = { AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class })
@EnableConfigurationProperties(AttachStorageProperties.class)
@Import({ LocalStorageConfiguration.class, S3StorageConfiguration.class })
public final class StorageAttachAutoConfiguration {

	/**
	 * The bound of the guard's bulkhead unless {@code attach.guard.resources.storage.max-waiting-calls} says
	 * otherwise: the S3 client's default pool of connections.
	 */
	static final int CONCURRENT_CALLS = 50;

	@Bean
	@ConditionalOnBackend(resource = StorageResourceKind.RESOURCE, value = StorageResourceKind.LOCAL)
	LocalTarget localStorageTarget(Environment environment, AttachedResources resources,
			AttachStorageProperties properties) {
		return StorageSettings.local(environment, resources.get(StorageResourceKind.RESOURCE).orElse(null),
				properties);
	}

	@Bean
	@ConditionalOnBackend(resource = StorageResourceKind.RESOURCE, value = StorageResourceKind.S3)
	S3Target s3StorageTarget(Environment environment, AttachedResources resources, ResourceLoader resourceLoader) {
		return StorageSettings.s3(environment, resources.get(StorageResourceKind.RESOURCE).orElseThrow(),
				resourceLoader.getClassLoader());
	}

	// STORAGE_URL ignored for a FileStorage of the user's must be said, as for the kinds with connection details.
	@Bean
	@ConditionalOnAttachedResource(StorageResourceKind.RESOURCE)
	ConnectionDetailsPrecedenceLogger attachFileStoragePrecedenceLogger(AttachedResources resources,
			ObjectProvider<FileStorage> fileStorages) {
		return new ConnectionDetailsPrecedenceLogger(resources.get(StorageResourceKind.RESOURCE).orElseThrow(),
				fileStorages, GuardedFileStorage.class);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnAttachedResource(StorageResourceKind.RESOURCE)
	@ConditionalOnMissingBean(FileStorage.class)
	static class AttachedStorageConfiguration {

		@Bean
		GuardedFileStorage fileStorage(StorageBackend storageBackend, AttachedResources resources,
				ObjectProvider<ResourceGuards> guards) {
			AttachedResource resource = resources.get(StorageResourceKind.RESOURCE).orElseThrow();
			ResourceGuards available = guards.getIfAvailable();
			ResourceGuard guard = (available != null)
					? available.forResource(resource, CONCURRENT_CALLS).orElse(null) : null;
			return new GuardedFileStorage(storageBackend.files(), guard);
		}

	}

	// Nothing attached: a directory for development, with no breaker, since no resource has one.
	@Configuration(proxyBeanMethods = false)
	@Conditional(NotAttachedCondition.class)
	@ConditionalOnMissingBean(FileStorage.class)
	static class LocalDevelopmentConfiguration {

		@Bean
		FileStorage fileStorage(StorageBackend storageBackend) {
			return storageBackend.files();
		}

	}

	static final class NotAttachedCondition extends NoneNestedConditions {

		NotAttachedCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnAttachedResource(StorageResourceKind.RESOURCE)
		static class Attached {

		}

	}

}
