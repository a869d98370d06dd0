package io.attach.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.attach.core.AttachedResource;
import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKinds;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Resolves where files go from every setting that says it, in one precedence: {@code STORAGE_URL} (or
 * {@code attach.resources.storage.url}) and its parameters first; then {@code S3_ENDPOINT_URL}, {@code S3_ENDPOINT},
 * {@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL} and {@code AWS_REGION} for what the URL does not say;
 * {@code S3_BUCKET} only when no URL is set ({@link StorageEnvironmentPostProcessor}); and with nothing attached,
 * {@code attach.storage.directory}, else {@code .attach/storage} under the working directory.
 *
 * @author attach
 */
final class StorageSettings {

	static final String BACKEND_VARIABLE = "STORAGE_BACKEND";

	static final String BACKEND_PROPERTY = "attach.storage.backend";

	static final String BUCKET_VARIABLE = "S3_BUCKET";

	static final String REGION_VARIABLE = "AWS_REGION";

	/** The variables that give the endpoint when the URL does not, the first one set winning. */
	static final List<String> ENDPOINT_VARIABLES = List.of("S3_ENDPOINT_URL", "S3_ENDPOINT", "AWS_ENDPOINT_URL_S3",
			"AWS_ENDPOINT_URL");

	static final String DIRECTORY_PROPERTY = "attach.storage.directory";

	/** The directory of the local backend with nothing attached, under the working directory. */
	static final Path DEFAULT_DIRECTORY = Path.of(".attach", "storage");

	static final String S3_CLIENT = "software.amazon.awssdk.services.s3.S3Client";

	private static final Log logger = LogFactory.getLog(StorageSettings.class);

	private StorageSettings() {
	}

	/**
	 * Resolves the local backend's directory.
	 * @param environment the environment
	 * @param resource the attached storage, or {@code null} when nothing is attached
	 * @param properties the storage properties
	 * @return the directory and the setting it came from
	 * @throws InvalidSettingException if the attached URL names a bucket: the local backend was chosen against it
	 */
	static LocalTarget local(Environment environment, @Nullable AttachedResource resource,
			AttachStorageProperties properties) {
		Path directory = properties.getDirectory();
		if (resource != null) {
			String setting = setting(environment, resource.setting());
			StorageUrl url = StorageUrl.of(resource.url());
			if (url instanceof StorageUrl.S3 s3) {
				String chooser = backendSetting(environment);
				throw new InvalidSettingException(chooser,
						"is 'local' but " + setting + " names the S3 bucket '" + s3.bucket() + "'",
						"Remove " + chooser + " to keep files in the bucket, or unset " + setting
								+ " to keep them in a local directory.");
			}
			Path root = ((StorageUrl.Local) url).root();
			if (directory != null) {
				logger.info(DIRECTORY_PROPERTY + " is ignored: " + setting + " names the directory, " + root);
			}
			return new LocalTarget(root, setting);
		}
		Path root = ((directory != null) ? directory : DEFAULT_DIRECTORY).toAbsolutePath().normalize();
		String setting = (directory != null) ? DIRECTORY_PROPERTY : DIRECTORY_PROPERTY + " (default)";
		ResourceDeclaration declaration = ResourceDeclaration.of(environment,
				ResourceKinds.named(StorageResourceKind.RESOURCE).orElseThrow());
		if (declaration.url() != null) {
			logger.warn(setting(environment, declaration.setting()) + " is set, but storage is not attached "
					+ "(attach.resources.storage.enabled is false): files are stored in the local directory " + root);
		}
		else {
			logger.info("No STORAGE_URL: files are stored in the local directory " + root + " (" + setting
					+ "). Set STORAGE_URL to an s3:// or file:/// URL to store them elsewhere.");
		}
		return new LocalTarget(root, setting);
	}

	/**
	 * Resolves the S3 backend's bucket, prefix, region, endpoint and credentials.
	 * @param environment the environment
	 * @param resource the attached storage
	 * @param classLoader the application's class loader
	 * @return the target
	 * @throws InvalidSettingException if a setting cannot be used, the URL names a directory, or the SDK is missing
	 */
	static S3Target s3(Environment environment, AttachedResource resource, @Nullable ClassLoader classLoader) {
		String setting = setting(environment, resource.setting());
		requireS3Client(setting, classLoader);
		StorageUrl url = StorageUrl.of(resource.url());
		if (!(url instanceof StorageUrl.S3 s3)) {
			String chooser = backendSetting(environment);
			throw new InvalidSettingException(chooser, "is 's3' but " + setting + " names a local directory",
					"Remove " + chooser + " to keep files in that directory, or set " + setting
							+ " to an s3:// URL, such as s3://my-uploads/app?region=eu-west-1.");
		}
		String bucket = environment.getProperty(BUCKET_VARIABLE);
		if (!setting.equals(BUCKET_VARIABLE) && StringUtils.hasText(bucket) && !bucket.trim().equals(s3.bucket())) {
			logger.info(BUCKET_VARIABLE + " is ignored: " + setting + " names the bucket, " + s3.bucket());
		}
		URI endpoint = endpoint(environment, setting, s3.endpoint());
		String region = (s3.region() != null) ? s3.region() : region(environment);
		Boolean pathStyleParameter = s3.pathStyle();
		// Path style for a custom endpoint: S3-compatible servers seldom have a DNS name per bucket.
		boolean pathStyle = (pathStyleParameter != null) ? pathStyleParameter : endpoint != null;
		if (endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme()) && !isLoopback(endpoint.getHost())) {
			// SigV4 never sends the secret, but the files and the signed requests cross the network readable.
			logger.warn("Storage talks to " + endpoint.getHost() + " over plain HTTP: files, and signed requests "
					+ "that can be replayed for minutes, cross the network unencrypted. Use an https:// endpoint.");
		}
		return new S3Target(s3.bucket(), s3.prefix(), region, endpoint, pathStyle, s3.accessKeyId(),
				s3.secretAccessKey(), setting);
	}

	/**
	 * Fails when the AWS SDK's S3 client is missing, naming the setting that asks for S3 and the dependency to add.
	 * @param setting the setting that names a bucket
	 * @param classLoader the application's class loader
	 * @throws InvalidSettingException if the client is missing
	 */
	static void requireS3Client(String setting, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent(S3_CLIENT, classLoader)) {
			throw new InvalidSettingException(setting,
					"names an S3 bucket, but the AWS SDK's S3 client is not on the class path",
					"Add the dependencies software.amazon.awssdk:s3 and software.amazon.awssdk:apache-client "
							+ "(versions from software.amazon.awssdk:bom), or set STORAGE_URL=file:///path/to/directory "
							+ "to keep files in a local directory.");
		}
	}

	/**
	 * Returns the setting to name in messages about the attached URL: {@code S3_BUCKET} when the URL was made from it.
	 * @param environment the environment
	 * @param declared the setting the resource's declaration names
	 * @return the setting
	 */
	static String setting(Environment environment, String declared) {
		boolean fromBucket = environment instanceof ConfigurableEnvironment configurable
				&& configurable.getPropertySources().contains(StorageEnvironmentPostProcessor.BUCKET_SOURCE);
		return (fromBucket && declared.equals("attach.resources." + StorageResourceKind.RESOURCE + ".url"))
				? BUCKET_VARIABLE : declared;
	}

	private static String backendSetting(Environment environment) {
		return StringUtils.hasText(environment.getProperty(BACKEND_PROPERTY)) ? BACKEND_PROPERTY : BACKEND_VARIABLE;
	}

	private static @Nullable URI endpoint(Environment environment, String setting, @Nullable URI fromUrl) {
		List<String> ignored = new ArrayList<>();
		URI endpoint = fromUrl;
		String source = setting;
		for (String variable : ENDPOINT_VARIABLES) {
			String value = environment.getProperty(variable);
			if (!StringUtils.hasText(value)) {
				continue;
			}
			URI candidate = StorageUrl.endpoint(value, variable,
					(problem, action) -> new InvalidSettingException(variable, problem, action));
			if (endpoint == null) {
				endpoint = candidate;
				source = variable;
			}
			else if (!candidate.equals(endpoint)) {
				ignored.add(variable);
			}
		}
		if (!ignored.isEmpty()) {
			logger.info(String.join(", ", ignored) + ((ignored.size() > 1) ? " are" : " is") + " ignored: " + source
					+ " gives the storage endpoint");
		}
		return endpoint;
	}

	private static @Nullable String region(Environment environment) {
		String region = environment.getProperty(REGION_VARIABLE);
		if (!StringUtils.hasText(region)) {
			// The SDK's own chain: the profile's region, or the instance's.
			return null;
		}
		region = region.trim();
		if (!StorageUrl.isRegion(region)) {
			throw new InvalidSettingException(REGION_VARIABLE, "is '" + region + "', which is not a region name",
					"Set it to a region such as eu-west-1, or auto for Cloudflare R2.");
		}
		return region;
	}

	private static boolean isLoopback(String host) {
		String name = host.toLowerCase(Locale.ROOT);
		return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]") || name.equals("::1");
	}

	/**
	 * Returns a URL's scheme, for deciding before it is parsed.
	 * @param url the URL
	 * @return the scheme, lower case, or empty
	 */
	static String scheme(String url) {
		int colon = url.indexOf(':');
		return (colon > 0) ? url.substring(0, colon).trim().toLowerCase(Locale.ROOT) : "";
	}

}
