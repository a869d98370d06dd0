package io.attach.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import io.attach.sample.SampleApplication;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import io.attach.test.PacedLoad;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample app under a paced load of 200 clients on an endpoint that needs the database, while the database is
 * black-holed, then refused, then slow (2 s), then back: attach with its database guard against plain Spring Boot on
 * {@code spring.datasource.*}, one after the other in one run, each against the machine's PostgreSQL through its own
 * fault proxy. Probes and requests are measured on the main port by their own clients and threads.
 *
 * @author attach
 */
public final class DatabaseOutage {

	private static final Duration PROBE_BOUND = Duration.ofSeconds(1);

	// What a measuring client waits at most: a request not answered by then counts as this long.
	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

	private static final int CLIENTS = 200;

	private static final String NEEDS_DATABASE = "/api/users/999999999";

	private final Duration phase;

	private DatabaseOutage(Duration phase) {
		this.phase = phase;
	}

	public static void main(String[] args) throws Exception {
		Duration phase = Duration.ofSeconds((args.length > 0) ? Integer.parseInt(args[0]) : 8);
		new DatabaseOutage(phase).run();
	}

	private void run() throws Exception {
		String schema = "attach_bench_" + System.nanoTime();
		String prefix = schema + ":";
		try {
			System.out.printf("Database outage under load: %d clients, one request a second each, on GET %s;%n"
					+ "black-holed, refused, slow (2 s), %d s each; probes and requests measured on the main port%n",
					CLIENTS, NEEDS_DATABASE, this.phase.toSeconds());
			Result attach = scenario("attach", schema, prefix, List.of());
			// Boot's standard way: spring.datasource.*, and the database check in the readiness group.
			Result boot = scenario("plain Spring Boot", schema, prefix, List.of(
					"--attach.resources.database.enabled=false",
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:%d/test?options=-c%%20search_path%%3D" + schema,
					"--spring.datasource.username=postgres",
					"--management.endpoint.health.group.readiness.include=readinessState,db"));
			System.out.printf("%n== side by side (during the outage)%n");
			System.out.printf("%-44s %12s %18s%n", "", "attach", "plain Spring Boot");
			row("liveness 200 within 1 s", percent(attach.liveness), percent(boot.liveness));
			row("readiness answered within 1 s", percent(attach.readiness), percent(boot.readiness));
			row("database endpoint p99", millis(attach.database), millis(boot.database));
			row("cached endpoint p99", millis(attach.cached), millis(boot.cached));
			row("load: requests answered per second", perSecond(attach), perSecond(boot));
			row("time to recover", seconds(attach.recovery), seconds(boot.recovery));
		}
		finally {
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
			try (io.lettuce.core.RedisClient redis = io.lettuce.core.RedisClient
				.create("redis://127.0.0.1:" + LocalServers.REDIS.port() + "/0");
					io.lettuce.core.api.StatefulRedisConnection<String, String> connection = redis.connect()) {
				connection.sync().keys(prefix + "*").forEach(connection.sync()::del);
			}
		}
	}

	private Result scenario(String name, String schema, String prefix, List<String> overrides) throws Exception {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			String[] args = Stream.concat(Stream.of(
					"--DATABASE_URL=postgres://postgres@127.0.0.1:" + proxy.getPort()
							+ "/test?options=-c%20search_path%3D" + schema,
					"--REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.require().port() + "/0",
					"--attach.cache.key-prefix=" + prefix, "--spring.flyway.schemas=" + schema, "--server.port=0",
					"--sample.signups.limit=1000", "--logging.level.root=ERROR", "--spring.main.banner-mode=off"),
					overrides.stream().map((override) -> override.formatted(proxy.getPort())))
				.toArray(String[]::new);
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.run(args)) {
				int port = ((WebServerApplicationContext) context).getWebServer().getPort();
				return measure(name, "http://127.0.0.1:" + port, port, proxy);
			}
		}
	}

	private Result measure(String name, String base, int port, FaultProxy proxy) throws Exception {
		System.out.printf("%n== %s%n", name);
		HttpClient setup = HttpClient.newHttpClient();
		String id = setup.send(HttpRequest.newBuilder(URI.create(base + "/api/users"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}"))
			.build(), HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"id\":(\\d+).*", "$1");
		String cached = base + "/api/users/" + id;
		setup.send(HttpRequest.newBuilder(URI.create(cached)).GET().build(), HttpResponse.BodyHandlers.discarding());
		Result result = new Result();
		try (PacedLoad load = new PacedLoad(port, NEEDS_DATABASE, CLIENTS, Duration.ofSeconds(1), CLIENT_TIMEOUT)) {
			Thread.sleep(this.phase.toMillis());
			Map<String, Long> healthy = load.drain();
			System.out.printf("  %-12s load %s%n", "healthy", healthy);
			try (Sampler sampler = new Sampler(base, cached)) {
				long outageStart = System.nanoTime();
				Map<String, Long> total = new LinkedHashMap<>();
				for (String fault : List.of("black-holed", "refused", "slow (2 s)")) {
					switch (fault) {
						case "black-holed" -> proxy.blackhole();
						case "refused" -> proxy.refuse();
						default -> proxy.latency(Duration.ofSeconds(2));
					}
					Thread.sleep(this.phase.toMillis());
					Map<String, Long> outcomes = load.drain();
					outcomes.forEach((outcome, count) -> total.merge(outcome, count, Long::sum));
					System.out.printf("  %-12s load %s%n", fault, outcomes);
				}
				result.seconds = (System.nanoTime() - outageStart) / 1e9;
				result.answered = PacedLoad.answered(total);
				sampler.stop();
				result.liveness = sampler.liveness;
				result.readiness = sampler.readiness;
				result.database = sampler.database;
				result.cached = sampler.cached;
			}
			proxy.pass();
			result.recovery = recover(base);
			System.out.printf("  %-12s load %s%n", "recovering", load.drain());
		}
		System.out.println("  during the outage (" + Math.round(result.seconds) + " s):");
		System.out.println("    liveness            " + result.liveness);
		System.out.println("    readiness           " + result.readiness);
		System.out.println("    database endpoint   " + result.database);
		System.out.println("    cached endpoint     " + result.cached);
		System.out.printf("    load answered %.0f requests/s%n", result.answered / result.seconds);
		System.out.printf("  recovered %s after the database came back%n", seconds(result.recovery));
		return result;
	}

	// Until readiness is 200 and a request that needs the database is answered as when healthy.
	private static double recover(String base) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_BOUND).build();
		long start = System.nanoTime();
		long deadline = start + TimeUnit.SECONDS.toNanos(60);
		while (System.nanoTime() < deadline) {
			try {
				if (status(client, base + "/actuator/health/readiness") == 200
						&& status(client, base + NEEDS_DATABASE) == 404) {
					return (System.nanoTime() - start) / 1e9;
				}
			}
			catch (IOException ex) {
				// Not yet.
			}
			Thread.sleep(100);
		}
		return Double.NaN;
	}

	private static int status(HttpClient client, String url) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(CLIENT_TIMEOUT).GET().build(),
				HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static void row(String name, String attach, String boot) {
		System.out.printf("%-44s %12s %18s%n", name, attach, boot);
	}

	private static String percent(Probe probe) {
		return String.format("%.1f %%", probe.successPercent());
	}

	private static String millis(Probe probe) {
		double p99 = probe.latencies.percentileMillis(99);
		return (probe.timedOut > 0 && p99 >= CLIENT_TIMEOUT.toMillis()) ? String.format("> %d ms", CLIENT_TIMEOUT.toMillis())
				: String.format("%.0f ms", p99);
	}

	private static String perSecond(Result result) {
		return String.format("%.0f", result.answered / result.seconds);
	}

	private static String seconds(double seconds) {
		return Double.isNaN(seconds) ? "> 60 s" : String.format("%.1f s", seconds);
	}

	private static final class Result {

		Probe liveness;

		Probe readiness;

		Probe database;

		Probe cached;

		double seconds;

		long answered;

		double recovery;

	}

	/**
	 * One kind of request sent over and over by its own thread and client, as a probe would be: its latencies, and how
	 * many were answered as expected within the probe's bound.
	 */
	private static final class Probe implements Runnable {

		private final HttpClient client;

		private final String url;

		private final IntPredicate expected;

		private final Latencies latencies = new Latencies(100_000);

		private volatile boolean running = true;

		private int sent;

		private int succeeded;

		private int timedOut;

		Probe(String url, IntPredicate expected) {
			this.client = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build();
			this.url = url;
			this.expected = expected;
		}

		@Override
		public void run() {
			while (this.running) {
				long start = System.nanoTime();
				try {
					int status = status(this.client, this.url);
					long elapsed = System.nanoTime() - start;
					this.latencies.add(elapsed);
					if (this.expected.test(status) && elapsed <= PROBE_BOUND.toNanos()) {
						this.succeeded++;
					}
				}
				catch (IOException ex) {
					this.latencies.add(CLIENT_TIMEOUT.toNanos());
					this.timedOut++;
				}
				catch (InterruptedException ex) {
					return;
				}
				this.sent++;
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		double successPercent() {
			return 100.0 * this.succeeded / this.sent;
		}

		@Override
		public String toString() {
			return this.latencies + String.format("  within 1 s as expected: %d of %d, timed out: %d", this.succeeded,
					this.sent, this.timedOut);
		}

	}

	/**
	 * The four measured requests, each on its own thread.
	 */
	private static final class Sampler implements AutoCloseable {

		private final ExecutorService threads = Executors.newFixedThreadPool(4);

		private final List<Probe> probes = new ArrayList<>();

		final Probe liveness;

		final Probe readiness;

		final Probe database;

		final Probe cached;

		Sampler(String base, String cachedUrl) {
			this.liveness = start(base + "/actuator/health/liveness", (status) -> status == 200);
			// Answered at all within the bound: 200 until the check has seen the database fail, then 503.
			this.readiness = start(base + "/actuator/health/readiness", (status) -> status == 200 || status == 503);
			this.database = start(base + NEEDS_DATABASE, (status) -> status == 503);
			this.cached = start(cachedUrl, (status) -> status == 200);
		}

		private Probe start(String url, IntPredicate expected) {
			Probe probe = new Probe(url, expected);
			this.probes.add(probe);
			this.threads.execute(probe);
			return probe;
		}

		void stop() throws InterruptedException {
			this.probes.forEach((probe) -> probe.running = false);
			this.threads.shutdown();
			this.threads.awaitTermination(CLIENT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
		}

		@Override
		public void close() throws InterruptedException {
			stop();
		}

	}

}
