package io.attach.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.attach.test.LocalServers;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The happy-path cost of the database guard: throughput and latency of an uncached read, {@code GET /api/users/{id}},
 * with the guard on and with {@code attach.guard.resources.database.enabled=false}, in alternating rounds of one run
 * against the machine's PostgreSQL.
 *
 * @author attach
 */
public final class GuardOverhead {

	// Fewer than the pool's 10 connections: the bulkhead never refuses, only its cost is measured.
	private static final int CONCURRENCY = 8;

	private static final Duration ROUND = Duration.ofSeconds(3);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	public static void main(String[] args) throws Exception {
		new GuardOverhead().run((args.length > 0) ? Integer.parseInt(args[0]) : 16);
	}

	private void run(int rounds) throws Exception {
		String schema = "attach_bench_" + System.nanoTime();
		try (ConfigurableApplicationContext guarded = start(schema);
				ConfigurableApplicationContext unguarded = start(schema,
						"--attach.guard.resources.database.enabled=false")) {
			String withGuard = baseUrl(guarded);
			String withoutGuard = baseUrl(unguarded);
			String path = "/api/users/" + createUser(withGuard);
			System.out.printf("GET %s (uncached: every request reads the database), %d concurrent clients, "
					+ "%d rounds of %d s per side, alternating%n", path, CONCURRENCY, rounds, ROUND.toSeconds());
			// Warm-up: JIT, pool and connections, on both sides.
			round(withGuard + path, Duration.ofSeconds(5));
			round(withoutGuard + path, Duration.ofSeconds(5));
			List<Round> on = new ArrayList<>();
			List<Round> off = new ArrayList<>();
			double[] ratios = new double[rounds];
			for (int i = 0; i < rounds; i++) {
				// ABBA order, so that neither side always runs on a warmer (or busier) machine.
				boolean guardFirst = i % 2 == 0;
				Round first = round((guardFirst ? withGuard : withoutGuard) + path, ROUND);
				Round second = round((guardFirst ? withoutGuard : withGuard) + path, ROUND);
				Round withRound = guardFirst ? first : second;
				Round withoutRound = guardFirst ? second : first;
				on.add(withRound);
				off.add(withoutRound);
				ratios[i] = withRound.perSecond() / withoutRound.perSecond();
			}
			Summary guardOn = new Summary(on);
			Summary guardOff = new Summary(off);
			System.out.println("  guard on        " + guardOn);
			System.out.println("  guard off       " + guardOff);
			Arrays.sort(ratios);
			System.out.printf("  throughput on/off: %.3f overall, median of rounds %.3f (min %.3f, max %.3f)%n",
					guardOn.perSecond() / guardOff.perSecond(), ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
			System.out.printf("  p99 on/off: %.3f, p50 on/off: %.3f%n",
					guardOn.latencies.percentileMillis(99) / guardOff.latencies.percentileMillis(99),
					guardOn.latencies.percentileMillis(50) / guardOff.latencies.percentileMillis(50));
		}
		finally {
			try (Connection connection = DriverManager.getConnection(
					"jdbc:postgresql://127.0.0.1:" + LocalServers.POSTGRES.port() + "/test", "postgres", "")) {
				connection.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
			}
		}
	}

	// CONCURRENCY clients, each sending its next request as soon as the last is answered, for a while.
	private Round round(String url, Duration duration) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
		ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
		AtomicLong errors = new AtomicLong();
		long start = System.nanoTime();
		long end = start + duration.toNanos();
		try {
			List<Future<long[]>> results = new ArrayList<>();
			for (int i = 0; i < CONCURRENCY; i++) {
				results.add(clients.submit(() -> {
					long[] samples = new long[200_000];
					int count = 0;
					while (System.nanoTime() < end && count < samples.length) {
						long begin = System.nanoTime();
						HttpResponse<Void> response = this.client.send(request, HttpResponse.BodyHandlers.discarding());
						samples[count++] = System.nanoTime() - begin;
						if (response.statusCode() != 200) {
							errors.incrementAndGet();
						}
					}
					return Arrays.copyOf(samples, count);
				}));
			}
			List<long[]> samples = new ArrayList<>();
			for (Future<long[]> result : results) {
				samples.add(result.get());
			}
			return new Round(samples, System.nanoTime() - start, errors.get());
		}
		finally {
			clients.shutdownNow();
		}
	}

	private ConfigurableApplicationContext start(String schema, String... extra) {
		String[] args = new String[extra.length + 1];
		args[0] = "--spring.cache.type=none";
		System.arraycopy(extra, 0, args, 1, extra.length);
		return SampleApps.start(schema, args);
	}

	private String createUser(String base) throws Exception {
		return SampleApps.createUser(this.client, base);
	}

	private static String baseUrl(ConfigurableApplicationContext context) {
		return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private record Round(List<long[]> samples, long nanos, long errors) {

		long count() {
			return this.samples.stream().mapToLong((clientSamples) -> clientSamples.length).sum();
		}

		double perSecond() {
			return count() / (this.nanos / 1e9);
		}

	}

	private static final class Summary {

		private final Latencies latencies;

		private final long count;

		private final long nanos;

		private final long errors;

		Summary(List<Round> rounds) {
			this.count = rounds.stream().mapToLong(Round::count).sum();
			this.nanos = rounds.stream().mapToLong(Round::nanos).sum();
			this.errors = rounds.stream().mapToLong(Round::errors).sum();
			this.latencies = new Latencies((int) this.count);
			rounds.forEach((round) -> round.samples().forEach((clientSamples) -> {
				for (long sample : clientSamples) {
					this.latencies.add(sample);
				}
			}));
		}

		double perSecond() {
			return this.count / (this.nanos / 1e9);
		}

		@Override
		public String toString() {
			return String.format("%7.0f requests/s   %s   non-200: %d", perSecond(), this.latencies, this.errors);
		}

	}

}
