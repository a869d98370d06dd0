package io.attach.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3Proxy ({@code org.gaul:s3proxy}, its {@code jar-with-dependencies}) run as a child JVM on a free loopback port,
 * storing buckets as directories under a temporary directory, with a generated access key and secret: a real S3
 * protocol server for tests, without Docker.
 * <p>
 * Its dependencies clash with an application's, so it never joins the test class path: the build copies the jar
 * and names it in the system property {@value #JAR_PROPERTY}; without it the jar is taken from the local Maven
 * repository.
 *
 * @author attach
 */
public final class S3ProxyServer implements AutoCloseable {

	/** The system property naming the S3Proxy jar. */
	public static final String JAR_PROPERTY = "attach.test.s3proxy.jar";

	/** The S3Proxy version looked for in the local Maven repository when {@value #JAR_PROPERTY} is not set. */
	public static final String VERSION = "4.1.0";

	private static final Duration STARTUP = Duration.ofSeconds(60);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Path directory;

	private final Path log;

	private final int port;

	private final String accessKey;

	private final String secretKey;

	private final Process process;

	private S3ProxyServer(Path directory, int port, String accessKey, String secretKey, Process process) {
		this.directory = directory;
		this.log = directory.resolve("s3proxy.log");
		this.port = port;
		this.accessKey = accessKey;
		this.secretKey = secretKey;
		this.process = process;
	}

	/**
	 * Starts S3Proxy and creates buckets.
	 * @param buckets the buckets to create
	 * @return the running server
	 * @throws AssertionError naming S3Proxy, with the end of its log, if it does not start
	 */
	public static S3ProxyServer start(String... buckets) {
		Path jar = jar();
		try {
			Path directory = Files.createTempDirectory("attach-s3proxy-");
			Path data = Files.createDirectories(directory.resolve("data"));
			int port = freePort();
			String accessKey = "attach-" + random(6);
			String secretKey = random(20);
			Path properties = directory.resolve("s3proxy.conf");
			Files.writeString(properties, String.join("\n", "s3proxy.endpoint=http://127.0.0.1:" + port,
					"s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + accessKey,
					"s3proxy.credential=" + secretKey, "jclouds.provider=filesystem-nio2",
					"jclouds.filesystem.basedir=" + data, ""));
			Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
			Process process = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:+UseSerialGC", "-jar",
					jar.toString(), "--properties", properties.toString())
				.redirectErrorStream(true)
				.redirectOutput(directory.resolve("s3proxy.log").toFile())
				.start();
			S3ProxyServer server = new S3ProxyServer(directory, port, accessKey, secretKey, process);
			try {
				server.awaitStarted();
				for (String bucket : buckets) {
					server.createBucket(bucket);
				}
			}
			catch (RuntimeException | Error ex) {
				server.close();
				throw ex;
			}
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Starting S3Proxy failed", ex);
		}
	}

	/**
	 * Returns the S3Proxy jar the build copied, else the one in the local Maven repository.
	 * @return the jar
	 * @throws AssertionError if there is none
	 */
	public static Path jar() {
		String configured = System.getProperty(JAR_PROPERTY);
		Path jar;
		if (configured != null && !configured.isBlank()) {
			jar = Paths.get(configured);
		}
		else {
			String repository = System.getProperty("maven.repo.local",
					Paths.get(System.getProperty("user.home"), ".m2", "repository").toString());
			jar = Paths.get(repository, "org", "gaul", "s3proxy", VERSION,
					"s3proxy-" + VERSION + "-jar-with-dependencies.jar");
		}
		if (!Files.isRegularFile(jar)) {
			throw new AssertionError("No S3Proxy jar at " + jar + ". The build copies it to target/ and sets "
					+ JAR_PROPERTY + " (maven-dependency-plugin, execution 's3proxy'): run the tests through Maven,"
					+ " or fetch org.gaul:s3proxy:" + VERSION + ":jar:jar-with-dependencies into the local repository.");
		}
		return jar;
	}

	/**
	 * Returns the endpoint, {@code http://127.0.0.1:<port>}.
	 * @return the endpoint
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Returns the loopback port S3Proxy listens on.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns the access key S3Proxy accepts.
	 * @return the access key id
	 */
	public String accessKey() {
		return this.accessKey;
	}

	/**
	 * Returns the secret of the access key.
	 * @return the secret
	 */
	public String secretKey() {
		return this.secretKey;
	}

	/**
	 * Returns the directory under which S3Proxy keeps buckets as directories, objects as files.
	 * @return the data directory
	 */
	public Path dataDirectory() {
		return this.directory.resolve("data");
	}

	/**
	 * Creates a bucket, by the S3 protocol.
	 * @param bucket the bucket's name
	 */
	public void createBucket(String bucket) {
		HttpResponse<String> response = send("PUT", "/" + bucket);
		if (response.statusCode() != 200) {
			throw new AssertionError("S3Proxy answered " + response.statusCode() + " to creating bucket '" + bucket
					+ "': " + response.body());
		}
	}

	/**
	 * Returns the last lines S3Proxy logged.
	 * @return up to 40 lines
	 */
	public String logTail() {
		try (Stream<String> lines = Files.lines(this.log, StandardCharsets.UTF_8)) {
			List<String> all = lines.toList();
			return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
		}
		catch (IOException | UncheckedIOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * Stops S3Proxy and deletes its data.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		delete(this.directory);
	}

	private void awaitStarted() {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new AssertionError("S3Proxy exited with " + this.process.exitValue() + " before answering on port "
						+ this.port + ". Its log ends:\n" + logTail());
			}
			try {
				// Any answer will do: without a signature it is 403.
				http.send(HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				return;
			}
			catch (IOException ex) {
				sleep();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted while waiting for S3Proxy", ex);
			}
		}
		throw new AssertionError("S3Proxy did not answer on port " + this.port + " within " + STARTUP.toSeconds()
				+ " s. Its log ends:\n" + logTail());
	}

	// Signature version 2, which S3Proxy takes beside version 4: a few lines instead of an SDK in test support.
	private HttpResponse<String> send(String method, String path) {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
		String toSign = method + "\n\n\n\nx-amz-date:" + date + "\n" + path;
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(this.secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
			String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
			HttpRequest request = HttpRequest.newBuilder(endpoint().resolve(path))
				.timeout(Duration.ofSeconds(10))
				.header("x-amz-date", date)
				.header("Authorization", "AWS " + this.accessKey + ":" + signature)
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build();
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA1 is missing", ex);
		}
		catch (IOException ex) {
			throw new AssertionError("S3Proxy did not answer " + method + " " + path + ". Its log ends:\n" + logTail(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while calling S3Proxy", ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String random(int bytes) {
		byte[] value = new byte[bytes];
		new SecureRandom().nextBytes(value);
		return HexFormat.of().formatHex(value);
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting for S3Proxy", ex);
		}
	}

	private static void delete(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		List<Path> paths = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(directory)) {
			walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
		}
		catch (IOException | UncheckedIOException ex) {
			return;
		}
		for (Path path : paths) {
			try {
				Files.deleteIfExists(path);
			}
			catch (IOException ex) {
				// A temporary directory: what cannot be deleted is left to the system.
			}
		}
	}

}
