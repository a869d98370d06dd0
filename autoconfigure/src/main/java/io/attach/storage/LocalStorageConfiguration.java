package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.attach.core.ConditionalOnBackend;
import io.attach.core.InvalidSettingException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The local backend: a {@link StorageBackend} over a directory, and the endpoint that serves its presigned URLs.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend(resource = "storage", value = "local")
class LocalStorageConfiguration {

	static final String SIGNING_KEY = "attach.storage.local.signing-key";

	static final String URL_PATH = "attach.storage.local.url-path";

	private static final int MIN_SIGNING_KEY_BYTES = 32;

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	private static final String SERVLET_REQUEST = "jakarta.servlet.http.HttpServletRequest";

	private static final String WEB_APPLICATION_CONTEXT = "org.springframework.web.context.WebApplicationContext";

	private static final Log logger = LogFactory.getLog(LocalStorageConfiguration.class);

	/**
	 * The storage itself, in every kind of application.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FilesConfiguration {

		@Bean
		StorageBackend localStorageBackend(LocalTarget target, AttachStorageProperties properties,
				ApplicationContext context) {
			LocalStorageProperties local = properties.getLocal();
			LocalUrlSigner signer = new LocalUrlSigner(signingKey(local), urlPath(local), Clock.systemUTC());
			LocalTree tree;
			try {
				tree = new LocalTree(target.root());
			}
			catch (IOException ex) {
				throw new StorageException("The local storage directory " + target.root() + " (from "
						+ target.setting() + ") cannot be used: " + ex, ex);
			}
			LocalFileStorage files = new LocalFileStorage(tree, signer, urlBase(local, context),
					isServletWebApplication(context));
			return new StorageBackend("local", files, () -> probe(tree));
		}

	}

	/**
	 * The endpoint that serves presigned URLs, in a servlet web application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass({ HttpRequestHandler.class, SimpleUrlHandlerMapping.class, HttpServletRequest.class })
	static class ServletConfiguration {

		@Bean
		LocalStorageUrlHandler localStorageUrlHandler(@Qualifier("localStorageBackend") StorageBackend backend) {
			// The backend's storage, not the guarded one: the handler answers for the local disk only.
			return new LocalStorageUrlHandler((LocalFileStorage) backend.files());
		}

		@Bean
		SimpleUrlHandlerMapping localStorageUrlHandlerMapping(LocalStorageUrlHandler localStorageUrlHandler,
				AttachStorageProperties properties) {
			// Ahead of annotated controllers and static resources, which could otherwise claim a catch-all path.
			return new SimpleUrlHandlerMapping(
					Map.of(urlPath(properties.getLocal()) + "/**", localStorageUrlHandler), Ordered.HIGHEST_PRECEDENCE + 10);
		}

	}

	static byte[] signingKey(LocalStorageProperties properties) {
		String configured = properties.getSigningKey();
		if (configured != null) {
			byte[] key = configured.getBytes(StandardCharsets.UTF_8);
			if (key.length < MIN_SIGNING_KEY_BYTES) {
				throw new InvalidSettingException(SIGNING_KEY, "is shorter than " + MIN_SIGNING_KEY_BYTES + " bytes",
						"Set it to at least 32 random characters, such as the output of 'openssl rand -base64 32'.");
			}
			return key;
		}
		byte[] key = new byte[MIN_SIGNING_KEY_BYTES];
		new SecureRandom().nextBytes(key);
		logger.info(SIGNING_KEY + " is not set: presigned URLs of the local storage are signed with a random key, "
				+ "so they work only on this instance and until it restarts");
		return key;
	}

	static String urlPath(LocalStorageProperties properties) {
		String path = properties.getUrlPath();
		if (!PATH.matcher(path).matches()) {
			throw new InvalidSettingException(URL_PATH, "is not a path of unreserved characters",
					"Set it to a path that starts with '/' and does not end with one, such as '/attach/storage'.");
		}
		return path;
	}

	private static Supplier<@Nullable String> urlBase(LocalStorageProperties properties, ApplicationContext context) {
		if (properties.getBaseUrl() != null) {
			String base = properties.getBaseUrl().toString();
			return () -> base;
		}
		if (isServletWebApplication(context)) {
			return LocalRequestUrlBase::current;
		}
		return () -> null;
	}

	private static boolean isServletWebApplication(ApplicationContext context) {
		ClassLoader classLoader = LocalStorageConfiguration.class.getClassLoader();
		return ClassUtils.isPresent(SERVLET_REQUEST, classLoader)
				&& ClassUtils.isPresent(WEB_APPLICATION_CONTEXT, classLoader)
				&& LocalRequestUrlBase.isWebApplicationContext(context);
	}

	private static void probe(LocalTree tree) throws IOException {
		// Proves the root writable the way a write uses it: a locked file created, forced, and removed on close.
		try (LocalTempFile probe = LocalTempFile.create(tree)) {
			probe.write(new ByteArrayInputStream(new byte[] { 1 }));
		}
	}

}
