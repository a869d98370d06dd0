package io.attach.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.attach.resilience.ResourceGuards;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import io.attach.test.PacedLoad;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
 * refused, then slow, then back. Probes, a cached read and a static page must answer within Kubernetes' probe
 * timeout throughout, requests that need the database must be refused at once while it is down, and everything must
 * work again afterwards without a restart.
 *
 * @author attach
 */
class DatabaseOutageUnderLoadIntegrationTests {

	private static final String SCHEMA = "attach_outage_" + System.nanoTime();

	private static final String PREFIX = "attach-outage-" + System.nanoTime() + ":";

	// Kubernetes' default probe timeout: a probe answered later failed.
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	// What "refused at once" means for a request that needs the database while the breaker is open.
	private static final Duration FAIL_FAST = Duration.ofMillis(500);

	// Sized for CI's two cores: enough to occupy every Tomcat thread if requests waited on the pool.
	private static final int CLIENTS = 200;

	// Each client sends a request a second.
	private static final Duration LOAD_PAUSE = Duration.ofSeconds(1);

	// Long enough that a slow answer under load is counted as its status, not as a timeout.
	private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);

	// A user that does not exist is never cached: every read of it needs the database.
	private static final String NEEDS_DATABASE = "/api/users/999999999";

	// Its own threads and connections, so that the load, and the test's other requests, cannot delay a measurement.
	private final ExecutorService probeThreads = Executors.newSingleThreadExecutor();

	private final HttpClient probes = HttpClient.newBuilder()
		.executor(this.probeThreads)
		.connectTimeout(PROBE_TIMEOUT)
		.build();

	private final List<String> problems = new ArrayList<>();

	@Test
	@Timeout(180)
	void whenDatabaseFailsUnderLoadThenProbesAndRequestsNotNeedingItAnswerAndEverythingRecovers() throws Exception {
		try (FaultProxy database = LocalServers.POSTGRES.proxy();
				ConfigurableApplicationContext context = start(database)) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			String app = "http://127.0.0.1:" + port;
			String management = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port");
			List<Long> written = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				written.add(create(app, "before-" + i));
			}
			String cachedRead = app + "/api/users/" + written.get(0);
			assertThat(send(cachedRead, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
			Map<String, Check> checks = new LinkedHashMap<>();
			checks.put("liveness (management port)", new Check(management + "/actuator/health/liveness", true));
			checks.put("readiness (management port)", new Check(management + "/actuator/health/readiness", true));
			checks.put("liveness (main port, /livez)", new Check(app + "/livez", false));
			checks.put("readiness (main port, /readyz)", new Check(app + "/readyz", false));
			checks.put("cached read", new Check(cachedRead, true));
			checks.put("static page", new Check(app + "/index.html", true));
			checks.put("needs the database", new Check(app + NEEDS_DATABASE, true));
			ResourceGuards guards = context.getBean(ResourceGuards.class);
			GuardCalls calls = new GuardCalls(context.getBean(MeterRegistry.class));
			try (PacedLoad load = new PacedLoad(port, NEEDS_DATABASE, CLIENTS, LOAD_PAUSE, LOAD_TIMEOUT)) {
				awaitSettled(load);
				observe("healthy", Duration.ofSeconds(3), checks, load, calls, 200, 404);
				database.blackhole();
				awaitDown(guards, management);
				observe("black-holed", Duration.ofSeconds(5), checks, load, calls, 503, 503);
				database.refuse();
				observe("refused", Duration.ofSeconds(4), checks, load, calls, 503, 503);
				database.latency(Duration.ofSeconds(2));
				awaitDown(guards, management);
				observe("slow (2 s)", Duration.ofSeconds(5), checks, load, calls, 503, 503);
				database.pass();
				long recovering = System.nanoTime();
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(100))
					.ignoreExceptions()
					.until(() -> send(management + "/actuator/health/readiness", PROBE_TIMEOUT).statusCode() == 200
							&& send(app + NEEDS_DATABASE, PROBE_TIMEOUT).statusCode() == 404);
				System.out.printf("recovered %.1f s after the database came back%n",
						(System.nanoTime() - recovering) / 1e9);
				// Until the pool has its connections back, the bulkhead may still turn a few callers away.
				awaitSettled(load);
				observe("back", Duration.ofSeconds(3), checks, load, calls, 200, 404);
			}
			assertThat(this.problems).isEmpty();
			long after = create(app, "after");
			assertThat(send(app + "/api/users/" + after, Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
			assertThat(rowsStored(written)).isEqualTo(written.size());
		}
		finally {
			this.probeThreads.shutdownNow();
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
	 * Sends every check in turn, every 100 ms for a while, each with the probe's timeout, and prints the slowest
	 * answer of each. The management port's probes and the requests are held to their bounds; the main port's probes
	 * are reported, since Kubernetes is pointed at the management port. While the database is healthy, a request
	 * that needs it may still be refused by the bulkhead, by design, when a scheduling stall puts more callers into
	 * {@code getConnection()} at once than the pool has connections; such a refusal is counted and reported, while a
	 * refusal by the breaker fails the phase.
	 */
	private void observe(String phase, Duration duration, Map<String, Check> checks, PacedLoad load,
			GuardCalls calls, int readiness, int databaseStatus) throws InterruptedException {
		// What the load got before this phase is not this phase's.
		load.drain();
		long notPermittedBefore = calls.notPermitted();
		long rejectedBefore = calls.rejected();
		int bulkheadRefusals = 0;
		Map<String, long[]> slowest = new LinkedHashMap<>();
		Map<String, List<String>> failures = new LinkedHashMap<>();
		long end = System.nanoTime() + duration.toNanos();
		int rounds = 0;
		while (System.nanoTime() < end) {
			for (Map.Entry<String, Check> entry : checks.entrySet()) {
				String name = entry.getKey();
				Check check = entry.getValue();
				boolean database = name.equals("needs the database");
				int expected = name.startsWith("readiness") ? readiness : database ? databaseStatus : 200;
				// Refusals once the breaker is open must be fast, not merely within the probe timeout.
				Duration bound = (database && databaseStatus == 503) ? FAIL_FAST : PROBE_TIMEOUT;
				String failure = null;
				long notPermitted = calls.notPermitted();
				long rejected = calls.rejected();
				long start = System.nanoTime();
				try {
					HttpResponse<String> response = send(check.url(), PROBE_TIMEOUT);
					long elapsed = System.nanoTime() - start;
					slowest.computeIfAbsent(name, (key) -> new long[1])[0] = Math
						.max(slowest.get(name)[0], elapsed);
					// The bulkhead refused a call meanwhile and the breaker none: the 503 was the bulkhead's.
					boolean bulkheadRefusal = database && expected != 503 && response.statusCode() == 503
							&& calls.notPermitted() == notPermitted && calls.rejected() > rejected;
					if (bulkheadRefusal && elapsed <= bound.toNanos()) {
						bulkheadRefusals++;
					}
					else if (response.statusCode() != expected) {
						failure = "answered " + response.statusCode() + ", not " + expected;
					}
					else if (elapsed > bound.toNanos()) {
						failure = "answered after " + elapsed / 1_000_000 + " ms, more than " + bound.toMillis() + " ms";
					}
					else if (expected == 503 && database && response.headers().firstValue("Retry-After").isEmpty()) {
						failure = "answered 503 without Retry-After";
					}
				}
				catch (IOException ex) {
					slowest.computeIfAbsent(name, (key) -> new long[1])[0] = System.nanoTime() - start;
					failure = "did not answer within " + PROBE_TIMEOUT.toMillis() + " ms: " + ex;
				}
				if (failure != null) {
					failures.computeIfAbsent(name, (key) -> new ArrayList<>()).add(failure);
					if (check.asserted()) {
						this.problems.add(phase + ": " + name + " " + check.url() + " " + failure);
					}
				}
			}
			rounds++;
			Thread.sleep(100);
		}
		long breakerRefusals = calls.notPermitted() - notPermittedBefore;
		if (databaseStatus != 503 && breakerRefusals > 0) {
			this.problems.add(phase + ": the breaker refused " + breakerRefusals + " calls to a healthy database");
		}
		System.out.printf("%-12s %d rounds; load: %s; refused by the bulkhead: %d (%d checks), by the breaker: %d%n", phase,
				rounds, load.drain(), calls.rejected() - rejectedBefore, bulkheadRefusals, breakerRefusals);
		slowest.forEach((name, nanos) -> System.out.printf("  %-32s slowest %5d ms%s%n", name, nanos[0] / 1_000_000,
				failures.containsKey(name) ? ", " + failures.get(name).size() + " failed: " + failures.get(name).get(0)
						: ""));
	}

	// Until a whole second has passed in which every client got the answer of a healthy database.
	private static void awaitSettled(PacedLoad load) {
		load.awaitOnly("404", Duration.ofSeconds(1), Duration.ofSeconds(20));
	}

	// Readiness DOWN, and the breaker open: from here on, requests that need the database must fail fast.
	private void awaitDown(ResourceGuards guards, String management) {
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptions()
			.until(() -> send(management + "/actuator/health/readiness", PROBE_TIMEOUT).statusCode() == 503
					&& guards.find("database").map((guard) -> guard.isOpen()).orElse(true));
	}

	private HttpResponse<String> send(String url, Duration timeout) throws IOException, InterruptedException {
		return this.probes.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private long create(String app, String name) throws Exception {
		HttpResponse<String> created = this.probes.send(HttpRequest.newBuilder(URI.create(app + "/api/users"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"name\":\"" + name + "\",\"email\":\"" + name + "@example.com\"}"))
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
				// As on Kubernetes: the actuator on a port and a thread pool of its own.
				"--spring.main.cloud-platform=kubernetes", "--server.port=0", "--MANAGEMENT_PORT=0",
				// The test signs up more users than the sample's limit allows in a minute; that limit is not under test.
				"--sample.signups.limit=1000", "--logging.level.root=WARN", "--spring.main.banner-mode=off");
	}

	private record Check(String url, boolean asserted) {
	}

	/**
	 * How many calls the database's guard refused, by what: its bulkhead or its breaker.
	 */
	private record GuardCalls(MeterRegistry registry) {

		long rejected() {
			return count("rejected");
		}

		long notPermitted() {
			return count("not_permitted");
		}

		private long count(String outcome) {
			Timer timer = this.registry.find("attach.resource.calls")
				.tags("resource", "database", "outcome", outcome)
				.timer();
			return (timer != null) ? timer.count() : 0;
		}

	}

}
