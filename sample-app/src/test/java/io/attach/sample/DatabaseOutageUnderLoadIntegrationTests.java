package io.attach.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.resilience.ResourceGuards;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as Kubernetes runs it (probes on the management port), with the machine's PostgreSQL behind a fault
 * proxy, under a bounded load of 200 concurrent clients on an endpoint that needs the database: black-holed, then
 * refused, then slow, then back. Probes, a cached read and a static page must answer throughout.
 *
 * @author attach
 */
class DatabaseOutageUnderLoadIntegrationTests {

	private static final String SCHEMA = "attach_outage_" + System.nanoTime();

	private static final String PREFIX = "attach-outage-" + System.nanoTime() + ":";

	// Kubernetes' default probe timeout: a probe answered later failed.
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	private static final int CLIENTS = 200;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final List<String> problems = new ArrayList<>();

	@Test
	@Timeout(180)
	void whenDatabaseFailsUnderLoadThenProbesAndRequestsNotNeedingItAnswerAndEverythingRecovers() throws Exception {
		try (FaultProxy database = LocalServers.POSTGRES.proxy();
				ConfigurableApplicationContext context = start(database)) {
			String app = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
			String management = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port");
			List<Long> written = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				written.add(create(app, "before-" + i));
			}
			long cached = written.get(0);
			assertThat(send(app + "/api/users/" + cached, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
			String cachedRead = app + "/api/users/" + cached;
			// A user that does not exist is never cached: every read of it needs the database.
			String needsDatabase = app + "/api/users/999999999";
			ResourceGuards guards = context.getBean(ResourceGuards.class);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			try (Load load = new Load(port, "/api/users/999999999", CLIENTS)) {
				observe("healthy", Duration.ofSeconds(2), management, cachedRead, app, needsDatabase, 200, 404);
				database.blackhole();
				awaitBreakerOpen(guards);
				observe("black-holed", Duration.ofSeconds(5), management, cachedRead, app, needsDatabase, 503, 503);
				database.refuse();
				observe("refused", Duration.ofSeconds(4), management, cachedRead, app, needsDatabase, 503, 503);
				database.latency(Duration.ofSeconds(2));
				awaitBreakerOpen(guards);
				observe("slow (2 s)", Duration.ofSeconds(5), management, cachedRead, app, needsDatabase, 503, 503);
				database.pass();
				await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.until(() -> send(management + "/actuator/health/readiness", PROBE_TIMEOUT).statusCode() == 200
							&& send(needsDatabase, Duration.ofSeconds(5)).statusCode() == 404);
				observe("back", Duration.ofSeconds(3), management, cachedRead, app, needsDatabase, 200, 404);
				System.out.printf("Load: %d requests needing the database, %s%n", load.sent.get(), load.statuses());
			}
			assertThat(this.problems).isEmpty();
			long after = create(app, "after");
			assertThat(send(app + "/api/users/" + after, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
			assertThat(rowsStored(written)).isEqualTo(written.size());
		}
		finally {
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
			}
			try (RedisClient redis = RedisClient.create("redis://127.0.0.1:" + LocalServers.REDIS.port() + "/0");
					StatefulRedisConnection<String, String> connection = redis.connect()) {
				connection.sync().keys(PREFIX + "*").forEach(connection.sync()::del);
			}
		}
	}

	/**
	 * Probes and the requests that need no database, every 200 ms for a while, each with the probe's timeout; and
	 * one request that needs the database, which must answer as expected within it too.
	 */
	private void observe(String phase, Duration duration, String management, String cachedRead, String app,
			String needsDatabase, int readiness, int databaseStatus) throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		int rounds = 0;
		long slowest = 0;
		while (System.nanoTime() < end) {
			long start = System.nanoTime();
			expect(phase, management + "/actuator/health/liveness", 200, false);
			expect(phase, management + "/actuator/health/readiness", readiness, false);
			expect(phase, cachedRead, 200, false);
			expect(phase, app + "/index.html", 200, false);
			expect(phase, needsDatabase, databaseStatus, databaseStatus == 503);
			slowest = Math.max(slowest, System.nanoTime() - start);
			rounds++;
			Thread.sleep(200);
		}
		System.out.printf("%-12s %d rounds of 5 requests, slowest round %d ms, problems so far: %s%n", phase, rounds,
				slowest / 1_000_000, this.problems);
	}

	private void expect(String phase, String url, int status, boolean retryAfter) {
		try {
			HttpResponse<String> response = send(url, PROBE_TIMEOUT);
			if (response.statusCode() != status) {
				this.problems.add(phase + ": " + url + " answered " + response.statusCode() + ", not " + status);
			}
			else if (retryAfter && response.headers().firstValue("Retry-After").isEmpty()) {
				this.problems.add(phase + ": " + url + " answered 503 without Retry-After");
			}
		}
		catch (IOException ex) {
			this.problems.add(phase + ": " + url + " did not answer within " + PROBE_TIMEOUT.toMillis() + " ms: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitBreakerOpen(ResourceGuards guards) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> guards.find("database").orElseThrow().getState() == State.OPEN);
	}

	private HttpResponse<String> send(String url, Duration timeout) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private long create(String app, String name) throws Exception {
		HttpResponse<String> created = this.client.send(HttpRequest.newBuilder(URI.create(app + "/api/users"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).isEqualTo(201);
		return Long.parseLong(created.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
	}

	// Straight to the real PostgreSQL, not through the proxy.
	private static int rowsStored(List<Long> ids) throws Exception {
		try (Connection connection = DriverManager.getConnection(
				"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "");
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT count(*) FROM " + SCHEMA + ".users WHERE id BETWEEN " + ids.get(0) + " AND "
							+ ids.get(ids.size() - 1))) {
			rows.next();
			return rows.getInt(1);
		}
	}

	private static ConfigurableApplicationContext start(FaultProxy database) {
		return new SpringApplicationBuilder(SampleApplication.class).run(
				"--DATABASE_URL=postgres://postgres@127.0.0.1:" + database.getPort()
						+ "/test?options=-c%20search_path%3D" + SCHEMA,
				"--REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.require().port() + "/0",
				"--attach.cache.key-prefix=" + PREFIX, "--spring.flyway.schemas=" + SCHEMA,
				"--spring.main.cloud-platform=kubernetes", "--server.port=0", "--MANAGEMENT_PORT=0",
				"--logging.level.root=WARN", "--spring.main.banner-mode=off");
	}

	/**
	 * A bounded load on loopback: a fixed number of clients, each sending one request at a time with a short pause,
	 * until closed.
	 */
	private static final class Load implements AutoCloseable {

		private final ExecutorService clients;

		private final AtomicInteger sent = new AtomicInteger();

		private final ConcurrentLinkedQueue<String> outcomes = new ConcurrentLinkedQueue<>();

		private static final long PAUSE_MILLIS = 250;

		private volatile boolean running = true;

		Load(int port, String path, int count) {
			this.clients = Executors.newFixedThreadPool(count);
			byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < count; i++) {
				this.clients.execute(() -> {
					while (this.running) {
						this.outcomes.add(send(port, request));
						this.sent.incrementAndGet();
						try {
							Thread.sleep(PAUSE_MILLIS);
						}
						catch (InterruptedException ex) {
							return;
						}
					}
				});
			}
		}

		// A plain socket per request: the load must cost the test's own JVM as little as possible.
		private static String send(int port, byte[] request) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
				socket.setSoTimeout(10_000);
				socket.getOutputStream().write(request);
				byte[] status = socket.getInputStream().readNBytes(12);
				socket.getInputStream().transferTo(OutputStream.nullOutputStream());
				return (status.length == 12) ? new String(status, 9, 3, StandardCharsets.US_ASCII) : "no answer";
			}
			catch (IOException ex) {
				return ex.getClass().getSimpleName();
			}
		}

		String statuses() {
			java.util.Map<String, Long> counts = new java.util.TreeMap<>();
			this.outcomes.forEach((outcome) -> counts.merge(outcome, 1L, Long::sum));
			return counts.toString();
		}

		@Override
		public void close() throws InterruptedException {
			this.running = false;
			this.clients.shutdown();
			if (!this.clients.awaitTermination(15, TimeUnit.SECONDS)) {
				this.clients.shutdownNow();
			}
		}

	}

}
