package io.attach.quickstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Builds a new application from README.md's Quick start ({@link QuickStart}) with Maven against the artifacts of this
 * build, starts it on the local PostgreSQL and asks it what the Quick start says it answers.
 * <p>
 * The build's {@code invoker:install} stands in for the Quick start's first step: it puts this reactor's artifacts
 * into a local repository of the test's own, and the nested Maven reads everything else from the user's local
 * repository, read-only. What differs from the README's commands, and only this: Maven runs offline, quietly and
 * without tests on those two repositories; the database is the test's
 * ({@code postgres://postgres:…@127.0.0.1:5432/test}: trust authentication, so any password is accepted, and this one
 * must appear nowhere in the log); the port is a free one.
 *
 * @author attach
 */
class QuickStartIntegrationTests {

	private static final String PASSWORD = "qs7d1cPw";

	private static final String DATABASE_URL = "postgres://postgres:" + PASSWORD + "@127.0.0.1:5432/test";

	private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(4);

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in ");

	// The variables attach reads, cleared so that the machine's environment cannot attach anything the README does not.
	private static final List<String> ATTACH_VARIABLES = List.of("DATABASE_URL", "JAWSDB_URL", "JAWSDB_MARIA_URL",
			"CLEARDB_DATABASE_URL", "REDIS_URL", "REDIS_TLS_URL", "SMTP_URL", "MAIL_FROM", "MAIL_BACKEND", "AMQP_URL",
			"CLOUDAMQP_URL", "STORAGE_URL", "SPRING_PROFILES_ACTIVE", "SERVER_PORT");

	@Test
	void theQuickStartBuildsAnApplicationThatAttachesItsDatabaseAndAnswersItsProbes() throws Exception {
		LocalServers.POSTGRES.require();
		QuickStart quickStart = QuickStart.read(Path.of(property("quickstart.readme")));
		Path project = Path.of(property("quickstart.directory"));
		writeProject(project, quickStart.files());
		build(project, quickStart.mavenArguments());
		Path jar = project.resolve(quickStart.jar());
		assertThat(jar).as("the jar the Quick start runs, after its build").isRegularFile();
		Map<String, String> environment = quickStart.environment();
		assertThat(environment).as("the variables the Quick start sets before 'java -jar'").containsKey("DATABASE_URL");
		String readmeUrl = environment.get("DATABASE_URL");
		String template = quickStart.logLine();
		assertThat(template).as("the Quick start's log line, for its own DATABASE_URL").contains(redacted(readmeUrl));
		String expectedLine = template.replace(redacted(readmeUrl), redacted(DATABASE_URL));
		environment.put("DATABASE_URL", DATABASE_URL);
		int port = freePort();
		Path log = project.resolve("application.log");
		Process application = start(project, jar, environment, port, log);
		try {
			awaitStarted(application, log);
			assertThat(Files.readString(log)).contains(expectedLine).doesNotContain(PASSWORD);
			Http http = new Http(port, Duration.ofSeconds(10));
			// The first check of the database runs in the background as the application starts.
			await("GET /readyz answering 200").atMost(Duration.ofSeconds(30))
				.failFast("The Quick start's application exited", () -> !application.isAlive())
				.ignoreExceptions()
				.until(() -> http.get("/readyz").statusCode() == 200);
			Map<String, String> probes = quickStart.probes();
			assertThat(probes).as("the Quick start's requests").containsKeys("/readyz", "/actuator/attachments");
			for (Map.Entry<String, String> probe : probes.entrySet()) {
				HttpResponse<String> response = http.get(probe.getKey());
				assertThat(response.statusCode()).as("GET " + probe.getKey() + ": " + response.body()).isEqualTo(200);
				assertSameAnswer(probe.getKey(), probe.getValue(), response.body());
			}
		}
		finally {
			stop(application);
		}
	}

	private static void assertSameAnswer(String path, String shown, String actual) {
		if (!path.equals("/actuator/attachments")) {
			Object answer = JsonPath.parse(actual).json();
			assertThat(answer).as("GET " + path).isEqualTo(JsonPath.parse(shown).json());
			return;
		}
		// Times, latency, URL and details differ from run to run: the rest is what the README promises.
		List<Map<String, Object>> shownResources = JsonPath.read(shown, "$.resources");
		List<Map<String, Object>> resources = JsonPath.read(actual, "$.resources");
		assertThat(resources).as("GET " + path + ": " + actual).hasSameSizeAs(shownResources);
		for (int i = 0; i < resources.size(); i++) {
			Map<String, Object> resource = resources.get(i);
			Map<String, Object> shownResource = shownResources.get(i);
			assertThat(resource.keySet()).as("GET " + path + ": the fields of " + resource)
				.containsExactlyElementsOf(shownResource.keySet());
			for (String field : List.of("name", "kind", "source", "readiness", "status")) {
				assertThat(resource.get(field)).as("GET " + path + ": " + field).isEqualTo(shownResource.get(field));
			}
			assertThat(resource.get("url")).isEqualTo(redacted(DATABASE_URL));
			assertThat(shownResource.get("url")).as("the URL the README shows")
				.isEqualTo(redacted(String.valueOf(shownResource.get("url"))));
		}
	}

	private static String redacted(String url) {
		return url.replaceFirst("^([a-z]+://[^:/@]+):[^@/]+@", "$1:****@");
	}

	private static void writeProject(Path project, Map<String, String> files) throws IOException {
		if (Files.exists(project)) {
			try (Stream<Path> paths = Files.walk(project)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}
		// An empty .mvn marks the project's root, so that Maven does not take attach's (above target/) for it.
		Files.createDirectories(project.resolve(".mvn"));
		for (Map.Entry<String, String> file : files.entrySet()) {
			Path path = project.resolve(file.getKey());
			Files.createDirectories(path.getParent());
			Files.writeString(path, file.getValue());
		}
	}

	private static void build(Path project, List<String> arguments) throws Exception {
		Path maven = Path.of(property("quickstart.maven.home"), "bin", "mvn");
		List<String> command = new ArrayList<>();
		command.add(maven.toString());
		command.addAll(arguments);
		command.addAll(List.of("-o", "-q", "-DskipTests", "-Dmaven.repo.local=" + property("quickstart.repository"),
				"-Dmaven.repo.local.tail=" + property("quickstart.repository.tail")));
		Path output = project.resolve("build.log");
		ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile());
		builder.environment().remove("MAVEN_ARGS");
		Process process = builder.start();
		if (!process.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new AssertionError("The Quick start's build did not finish within " + BUILD_TIMEOUT + ": "
					+ String.join(" ", command) + "\n" + tail(output));
		}
		if (process.exitValue() != 0) {
			throw new AssertionError("The Quick start's build failed (it needs Maven 3.9 or later, for"
					+ " maven.repo.local.tail: run it through ./mvnw): " + String.join(" ", command) + "\n" + tail(output));
		}
	}

	private static Process start(Path project, Path jar, Map<String, String> variables, int port, Path log)
			throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		ProcessBuilder builder = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "--server.port=" + port)
			.directory(project.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		ATTACH_VARIABLES.forEach(builder.environment()::remove);
		builder.environment().putAll(variables);
		return builder.start();
	}

	private static void awaitStarted(Process application, Path log) throws Exception {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			String output = Files.readString(log);
			if (STARTED.matcher(output).find()) {
				return;
			}
			if (!application.isAlive()) {
				throw new AssertionError("The Quick start's application exited with " + application.exitValue()
						+ " before it started:\n" + tail(log));
			}
			Thread.sleep(250);
		}
		throw new AssertionError("The Quick start's application did not start within " + START_TIMEOUT + ":\n" + tail(log));
	}

	private static void stop(Process application) throws InterruptedException {
		application.destroy();
		if (!application.waitFor(30, TimeUnit.SECONDS)) {
			application.destroyForcibly().waitFor();
		}
	}

	private static String tail(Path file) {
		try {
			List<String> lines = Files.readAllLines(file);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static String property(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new AssertionError("System property " + name + " is not set: run this test through Maven"
					+ " (./mvnw verify -pl quickstart-test), whose failsafe configuration sets it.");
		}
		return value;
	}

}
