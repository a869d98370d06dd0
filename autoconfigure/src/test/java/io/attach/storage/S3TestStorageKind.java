package io.attach.storage;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import io.attach.core.ResourceKind;

/**
 * A stand-in for the {@code storage} kind's descriptor, so that the S3 backend's configuration can be tested on its
 * own: registered only where {@link #classLoader()} looks, as the real descriptor is in {@code spring.factories}.
 *
 * @author attach
 */
final class S3TestStorageKind extends ResourceKind {

	private static final ClassLoader CLASS_LOADER = new WithTestKind(S3TestStorageKind.class.getClassLoader());

	S3TestStorageKind() {
		super(define("s3-test-storage", "storage").variables("STORAGE_URL")
			.schemes("s3", "file")
			.backends("STORAGE_BACKEND", Backend.attached("s3", "store files in a bucket", "s3"),
					Backend.local("local", "store files in a directory")));
	}

	/**
	 * A class loader that sees this kind registered after the real ones.
	 * @return the class loader
	 */
	static ClassLoader classLoader() {
		return CLASS_LOADER;
	}

	private static final class WithTestKind extends ClassLoader {

		private static final String FACTORIES = "META-INF/spring.factories";

		WithTestKind(ClassLoader parent) {
			super(parent);
		}

		@Override
		public Enumeration<URL> getResources(String name) throws IOException {
			List<URL> resources = new ArrayList<>(Collections.list(super.getResources(name)));
			if (FACTORIES.equals(name)) {
				resources.add(getParent().getResource("io/attach/storage/s3-test-storage-kind.factories"));
			}
			return Collections.enumeration(resources);
		}

	}

}
