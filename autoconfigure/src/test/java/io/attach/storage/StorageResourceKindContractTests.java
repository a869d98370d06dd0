package io.attach.storage;

import java.nio.file.Path;
import java.util.List;

import io.attach.kind.ResourceKindContractTests;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@link ResourceKindContractTests contract} run for {@code STORAGE_URL}, with an S3 URL whose endpoint is a
 * closed loopback port: the only form of the URL that carries a secret.
 *
 * @author attach
 */
class StorageResourceKindContractTests extends ResourceKindContractTests {

	// With nothing attached the local backend keeps files here, not under the module's working directory.
	@TempDir
	Path directory;

	@Override
	protected List<String> variables() {
		return List.of("STORAGE_URL");
	}

	@Override
	protected String resourceName() {
		return "storage";
	}

	@Override
	protected String url(String password) {
		return "s3://AKIAEXAMPLE:" + password + "@attach-contract/app?region=us-east-1&endpoint=http://127.0.0.1:"
				+ closedPort();
	}

	@Override
	protected String wrongSchemeUrl(String password) {
		return "redis://:" + password + "@127.0.0.1:" + closedPort() + "/0";
	}

	@Override
	protected Class<?> attachedType() {
		return GuardedFileStorage.class;
	}

	@Override
	protected Class<?> userType() {
		return FileStorage.class;
	}

	@Override
	protected Object userBean() {
		return new GuardedFileStorageTests.FlakyStorage();
	}

	@Override
	protected Class<?> attachAutoConfiguration() {
		return StorageAttachAutoConfiguration.class;
	}

	@Override
	protected AutoConfigurations autoConfigurations() {
		return AutoConfigurations.of(StorageAttachAutoConfiguration.class, StorageHealthAttachAutoConfiguration.class);
	}

	@Override
	protected List<String> properties() {
		return List.of("attach.storage.directory=" + this.directory);
	}

	@Override
	protected String attachedPassword(ConfigurableApplicationContext context) {
		return context.getBean(S3Target.class).secretAccessKey();
	}

	@Override
	protected String bootIndicator() {
		// Boot has no storage check: the resource's own name switches attach's.
		return "storage";
	}

	@Override
	protected String defaultReadiness() {
		return "degradable";
	}

	@Override
	protected boolean guarded() {
		return true;
	}

}
