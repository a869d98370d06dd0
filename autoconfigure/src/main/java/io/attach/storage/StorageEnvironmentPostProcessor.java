package io.attach.storage;

import java.util.Map;

import io.attach.core.AttachDefaults;
import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.util.StringUtils;

/**
 * Attaches storage from {@code S3_BUCKET} when no {@code STORAGE_URL} is set, by giving
 * {@code attach.resources.storage.url} the value {@code s3://<bucket>} at the lowest precedence, so that core, which
 * attaches a resource only from its URL, needs to know nothing of it; fails startup when an {@code s3://} URL is
 * attached without the AWS SDK; and keeps slow transfers from opening the storage breaker.
 *
 * @author attach
 */
class StorageEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	/** Name of the property source that holds the URL made from {@code S3_BUCKET}. */
	static final String BUCKET_SOURCE = "attachStorageBucket";

	/** Name of the property source of the storage breaker's defaults, ahead of attach's own. */
	static final String DEFAULTS_SOURCE = "attachStorageDefaults";

	@Override
	public int getOrder() {
		// Before attach's own post-processors, which read what is attached; after config data, as they are.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = application.getClassLoader();
		ResourceKind kind = ResourceKinds.named(classLoader, StorageResourceKind.RESOURCE).orElse(null);
		if (kind == null) {
			return;
		}
		ResourceDeclaration declaration = ResourceDeclaration.of(environment, kind);
		String bucket = environment.getProperty(StorageSettings.BUCKET_VARIABLE);
		if (declaration.url() == null && StringUtils.hasText(bucket)) {
			bucket = bucket.trim();
			String problem = StorageUrl.bucketProblem(bucket);
			if (problem != null) {
				throw new InvalidSettingException(StorageSettings.BUCKET_VARIABLE,
						"is '" + bucket + "', which " + problem, StorageUrl.BUCKET_ACTION);
			}
			environment.getPropertySources()
				.addLast(new MapPropertySource(BUCKET_SOURCE, Map.of(kind.urlProperty(), "s3://" + bucket)));
			declaration = ResourceDeclaration.of(environment, kind);
		}
		String url = declaration.url();
		if (!declaration.isAttached() || url == null) {
			return;
		}
		if (StorageSettings.scheme(url).equals("s3")) {
			// Here, before any bean: a missing S3 backend would otherwise fail startup naming no setting.
			StorageSettings.requireS3Client(StorageSettings.setting(environment, declaration.setting()), classLoader);
		}
		if (kind.guarded()) {
			// A transfer's length says nothing about the store's health: the client's timeouts fail a hung call, and
			// that counts. Attach's two-second slow call would open the breaker after five large uploads in a row.
			addBreakerDefaults(environment, Map.of("resilience4j.circuitbreaker.instances." + declaration.name()
					+ ".slow-call-duration-threshold", "1h"));
		}
	}

	private static void addBreakerDefaults(ConfigurableEnvironment environment, Map<String, Object> defaults) {
		MutablePropertySources sources = environment.getPropertySources();
		MapPropertySource source = new MapPropertySource(DEFAULTS_SOURCE, defaults);
		// Ahead of attach's defaults, whenever they are added, and behind everything the user configures.
		if (sources.contains(AttachDefaults.NAME)) {
			sources.addBefore(AttachDefaults.NAME, source);
		}
		else {
			sources.addLast(source);
		}
	}

}
