package io.attach.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The cached endpoint {@code GET /api/users/{id}} with Redis black-holed and the breaker open, against the same
 * endpoint with no cache at all, interleaved in one run; and how long and how many calls the breaker takes to open.
 *
 * @author attach
 */
public final class DegradedEndpointLatency {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	public static void main(String[] args) throws Exception {
		new DegradedEndpointLatency().run((args.length > 0) ? Integer.parseInt(args[0]) : 2000);
	}

	private void run(int iterations) throws Exception {
		String schema = "attach_bench_" + System.nanoTime();
		try (FaultProxy redis = LocalServers.REDIS.proxy();
				ConfigurableApplicationContext cached = start(schema,
						"--REDIS_URL=redis://127.0.0.1:" + redis.getPort() + "/0",
						"--attach.cache.key-prefix=" + schema + ":");
				ConfigurableApplicationContext uncached = start(schema, "--spring.cache.type=none")) {
			String withCache = baseUrl(cached);
			String withoutCache = baseUrl(uncached);
			String path = "/api/users/" + createUser(withCache);
			for (int i = 0; i < 500; i++) {
				get(withCache + path);
				get(withoutCache + path);
			}
			redis.blackhole();
			long start = System.nanoTime();
			int calls = 0;
			while (!breakerOpen(withCache)) {
				get(withCache + path);
				calls++;
			}
			System.out.printf("Redis black-holed: the breaker opened after %d calls and %.2f s%n", calls,
					(System.nanoTime() - start) / 1e9);
			Latencies degraded = new Latencies(iterations);
			Latencies noCache = new Latencies(iterations);
			for (int i = 0; i < iterations; i++) {
				degraded.add(timed(withCache + path));
				noCache.add(timed(withoutCache + path));
			}
			System.out.printf("GET %s, %d requests each, interleaved%n", path, iterations);
			System.out.println("  cache black-holed, breaker open  " + degraded);
			System.out.println("  no cache at all                  " + noCache);
			System.out.printf("  p99 difference: %+.2f ms%n", degraded.percentileMillis(99) - noCache.percentileMillis(99));
		}
		finally {
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	private ConfigurableApplicationContext start(String schema, String... extra) {
		String[] args = new String[extra.length + 1];
		args[0] = "--management.endpoints.web.exposure.include=attachments";
		System.arraycopy(extra, 0, args, 1, extra.length);
		return SampleApps.start(schema, args);
	}

	private String createUser(String base) throws Exception {
		return SampleApps.createUser(this.client, base);
	}

	private boolean breakerOpen(String base) throws Exception {
		return get(base + "/actuator/attachments").body().contains("\"circuitBreaker\":\"OPEN\"");
	}

	private long timed(String url) throws Exception {
		long begin = System.nanoTime();
		HttpResponse<String> response = get(url);
		long elapsed = System.nanoTime() - begin;
		if (response.statusCode() != 200) {
			throw new IllegalStateException(url + " answered " + response.statusCode());
		}
		return elapsed;
	}

	private HttpResponse<String> get(String url) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static String baseUrl(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

}
