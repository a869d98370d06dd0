package io.attach.sample;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the image recipe against the repackaged jar, which exists by the time integration tests run (after
 * {@code package}): the Dockerfile copies every layer of the jar in its order and starts the jar's launcher.
 *
 * @author attach
 */
class ImageLayersIntegrationTests {

	private static final Path DOCKERFILE = Path.of("Dockerfile");

	private static final Path EXECUTABLE_JAR = Path.of("target", "attach-sample-app-exec.jar");

	@Test
	void imageCopiesEveryLayerOfTheRepackagedJarAndStartsItsLauncher() throws IOException {
		assertThat(EXECUTABLE_JAR).as("the repackaged jar, built by ./mvnw -pl sample-app package").isRegularFile();
		List<String> layers = new ArrayList<>();
		String launcher;
		try (JarFile jar = new JarFile(EXECUTABLE_JAR.toFile())) {
			launcher = jar.getManifest().getMainAttributes().getValue("Main-Class");
			try (InputStream index = jar.getInputStream(jar.getEntry("BOOT-INF/layers.idx"))) {
				Matcher layer = Pattern.compile("(?m)^- \"([^\"]+)\":")
					.matcher(new String(index.readAllBytes(), StandardCharsets.UTF_8));
				while (layer.find()) {
					layers.add(layer.group(1));
				}
			}
		}
		String dockerfile = Files.readString(DOCKERFILE);
		List<String> copied = new ArrayList<>();
		Matcher copy = Pattern.compile("(?m)^COPY --from=\\S+ /build/extracted/([^/\\s]+)/ \\./$").matcher(dockerfile);
		while (copy.find()) {
			copied.add(copy.group(1));
		}
		assertThat(layers).isNotEmpty();
		assertThat(copied).containsExactlyElementsOf(layers);
		assertThat(KubernetesManifestsTests.lastInstruction(dockerfile, "ENTRYPOINT")).endsWith("\"" + launcher + "\"]");
	}

}
