package io.attach.testkind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.attach.core.ResourceKind;

/**
 * The {@code extra} resource from {@code EXTRA_URL}, a kind that only the class loader of
 * {@link #classLoader(Path)} registers, as a kind of the application's own that attach's class loader does not see.
 *
 * @author attach
 */
public final class LoaderOnlyResourceKind extends ResourceKind {

	/**
	 * Creates the kind, as {@code spring.factories} does.
	 */
	public LoaderOnlyResourceKind() {
		super(define("extra", "extra").variables("EXTRA_URL")
			.schemes("extra")
			.guarded()
			.replacesBootCheck("extra")
			.bootCheckOffWhenUnused()
			.backends("EXTRA_BACKEND", Backend.attached("remote", "send it to the extra server", "extra"),
					Backend.local("memory", "keep it in memory")));
	}

	/**
	 * Returns a class loader that sees what the tests' class loader sees, and a {@code META-INF/spring.factories}
	 * that registers this kind.
	 * @param directory an empty directory for the class loader's own resources
	 * @return the class loader
	 */
	public static URLClassLoader classLoader(Path directory) {
		try {
			Path factories = directory.resolve("META-INF/spring.factories");
			Files.createDirectories(factories.getParent());
			Files.writeString(factories,
					ResourceKind.class.getName() + "=" + LoaderOnlyResourceKind.class.getName() + "\n",
					StandardCharsets.ISO_8859_1);
			return new URLClassLoader(new URL[] { directory.toUri().toURL() },
					LoaderOnlyResourceKind.class.getClassLoader());
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
