package io.attach.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.attach.sample.SampleApplication;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Readiness against liveness latency with the database healthy, then readiness with the database black-holed, for
 * attach and for plain Spring Boot, side by side in one run against the machine's PostgreSQL.
 *
 * @author attach
 */
public final class ProbeLatency {

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int iterations;

	private ProbeLatency(int iterations) {
		this.iterations = iterations;
	}

	public static void main(String[] args) throws Exception {
		int iterations = (args.length > 0) ? Integer.parseInt(args[0]) : 2000;
		new ProbeLatency(iterations).run();
	}

	private void run() throws Exception {
		String schema = "attach_bench_" + System.nanoTime();
		GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
		mail.start();
		try {
			System.out.printf("Probe latency, %d probes of each kind, interleaved; PostgreSQL through a loopback proxy%n",
					this.iterations);
			// Mail attached too: Boot's own mail check is what makes its readiness slow; attach keeps it out.
			scenario("attach", schema, List.of("--spring.profiles.active=prod",
					"--SMTP_URL=smtp://127.0.0.1:" + mail.getSmtp().getPort()));
			// Boot's standard way: spring.mail.host, and the mail check in the readiness group.
			scenario("plain Spring Boot", schema, List.of("--spring.profiles.active=dev",
					"--attach.resources.database.enabled=false", "--spring.mail.host=127.0.0.1",
					"--spring.mail.port=" + mail.getSmtp().getPort(),
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:%d/test?options=-c%%20search_path%%3D" + schema,
					"--spring.datasource.username=postgres",
					"--management.endpoint.health.group.readiness.include=readinessState,db,mail"));
		}
		finally {
			mail.stop();
			LocalServers.Server postgres = LocalServers.POSTGRES;
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://" + postgres.host() + ":" + postgres.port() + "/test", "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	private void scenario(String name, String schema, List<String> overrides) throws Exception {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			String databaseUrl = "postgres://postgres@127.0.0.1:" + proxy.getPort()
					+ "/test?options=-c%20search_path%3D" + schema;
			String[] args = Stream
				.concat(Stream.of("--DATABASE_URL=" + databaseUrl,
						"--REDIS_URL=redis://127.0.0.1:" + LocalServers.REDIS.require().port() + "/0", "--server.port=0",
						"--spring.flyway.schemas=" + schema, "--logging.level.root=WARN",
						"--spring.main.banner-mode=off"),
						overrides.stream().map((override) -> override.formatted(proxy.getPort())))
				.toArray(String[]::new);
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
				.run(args)) {
				String base = "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
				System.out.printf("%n== %s%n", name);
				measureHealthy(base);
				measureBlackholed(base, proxy);
			}
		}
	}

	private void measureHealthy(String base) throws Exception {
		for (int i = 0; i < 500; i++) {
			get(base + "/livez");
			get(base + "/actuator/health/readiness");
		}
		Latencies liveness = new Latencies(this.iterations);
		Latencies readiness = new Latencies(this.iterations);
		for (int i = 0; i < this.iterations; i++) {
			liveness.add(timed(base + "/livez", 200));
			readiness.add(timed(base + "/actuator/health/readiness", 200));
		}
		System.out.println("database healthy");
		System.out.println("  liveness   " + liveness);
		System.out.println("  readiness  " + readiness);
		System.out.printf("  readiness p99 / liveness p99 = %.2f%n",
				readiness.percentileMillis(99) / liveness.percentileMillis(99));
	}

	private void measureBlackholed(String base, FaultProxy proxy) throws Exception {
		proxy.blackhole();
		long start = System.nanoTime();
		int answered = 0;
		int timedOut = 0;
		int notReady = 0;
		long firstNotReady = -1;
		Latencies readiness = new Latencies(50);
		for (int i = 0; i < 50 && timedOut < 3; i++) {
			long begin = System.nanoTime();
			try {
				int status = get(base + "/actuator/health/readiness").statusCode();
				readiness.add(System.nanoTime() - begin);
				answered++;
				notReady += (status == 503) ? 1 : 0;
				firstNotReady = (status == 503 && firstNotReady < 0) ? System.nanoTime() - start : firstNotReady;
			}
			catch (HttpTimeoutException ex) {
				timedOut++;
			}
			Thread.sleep(100);
		}
		System.out.printf("database black-holed (client gives up after %d s)%n", CLIENT_TIMEOUT.toSeconds());
		System.out.printf("  readiness answered %d, of which 503: %d; timed out: %d%s%n", answered, notReady, timedOut,
				(timedOut >= 3) ? " (stopped after 3 time-outs)" : "");
		if (answered > 0) {
			System.out.println("  readiness  " + readiness);
		}
		if (firstNotReady >= 0) {
			System.out.printf("  first 503 %.2f s after the black hole opened%n", firstNotReady / 1e9);
		}
		System.out.printf("  %.1f s spent%n", (System.nanoTime() - start) / 1e9);
	}

	private long timed(String url, int expected) throws Exception {
		long begin = System.nanoTime();
		int status = get(url).statusCode();
		long elapsed = System.nanoTime() - begin;
		if (status != expected) {
			throw new IllegalStateException(url + " answered " + status);
		}
		return elapsed;
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create(url)).timeout(CLIENT_TIMEOUT).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
