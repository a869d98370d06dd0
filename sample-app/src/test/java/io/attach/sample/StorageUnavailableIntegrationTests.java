package io.attach.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.attach.resilience.ResourceGuard;
import io.attach.resilience.ResourceGuards;
import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app's avatars when the S3 store behind {@code STORAGE_URL} stops answering: S3Proxy behind a fault proxy
 * that black-holes it. Avatar calls get 503 with Retry-After within the storage timeouts, then at once from the
 * circuit breaker; storage is degradable, so readiness and the rest of the API stay up; uploads work again once the
 * store is back. Configured as required, storage fails readiness instead.
 *
 * @author attach
 */
class StorageUnavailableIntegrationTests {

	private static final String BUCKET = "attach-sample-outage";

	// One attempt of at most a second, within a call of at most two: what the application may wait for the store.
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

	// Time for the SDK to notice the timeout and the application to answer, beyond the timeout itself.
	private static final Duration SLACK = Duration.ofSeconds(3);

	private static final Duration EVENTUALLY = Duration.ofSeconds(30);

	private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final AtomicInteger users = new AtomicInteger();

	private static S3ProxyServer s3proxy;

	private static FaultProxy store;

	private static ConfigurableApplicationContext context;

	private static Http http;

	private static int port;

	@BeforeAll
	static void start() {
		s3proxy = S3ProxyServer.start(BUCKET);
		store = FaultProxy.to("127.0.0.1", s3proxy.port());
		context = run(store, "/degradable");
		port = ((WebServerApplicationContext) context).getWebServer().getPort();
		http = new Http(port, EVENTUALLY);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		if (store != null) {
			store.close();
		}
		if (s3proxy != null) {
			s3proxy.close();
		}
	}

	@BeforeEach
	void healStore() {
		store.pass();
		long id = createUser("probe");
		// Connections the black hole swallowed are reset, and the breaker closes once the health check sees the store.
		await().atMost(EVENTUALLY)
			.until(() -> put(id, bytes(10)).statusCode() == 204 && !guard().isOpen());
	}

	@Test
	void whenStoreIsBlackholedThenAvatarCallsGet503WithRetryAfterWithinTheStorageTimeouts() throws Exception {
		long id = createUser("blackholed");
		assertThat(put(id, bytes(1_000)).statusCode()).isEqualTo(204);
		store.blackhole();
		long start = System.nanoTime();
		assertUnavailable(put(id, bytes(100_000)));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(CALL_TIMEOUT.plus(SLACK));
		start = System.nanoTime();
		assertUnavailable(get("/api/users/" + id + "/avatar"));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(CALL_TIMEOUT.plus(SLACK));
	}

	@Test
	void afterAFewFailuresTheBreakerRefusesUploadsWithoutSendingThemToTheStore() throws Exception {
		long id = createUser("breaker");
		store.blackhole();
		await().atMost(EVENTUALLY).until(() -> {
			assertUnavailable(get("/api/users/" + id + "/avatar"));
			return guard().isOpen();
		});
		long before = store.getBytesFromClients();
		byte[] avatar = bytes(400_000);
		assertUnavailable(put(id, avatar));
		// Health checks still probe the store, a few hundred bytes each; the avatar itself never went.
		assertThat(store.getBytesFromClients() - before).isLessThan(avatar.length);
		// Held open by the health check, which finds the store down too, the breaker is FORCED_OPEN.
		assertThat(json(http.get("/actuator/attachments")).at("/resources/0/details/circuitBreaker").asString())
			.isIn("OPEN", "FORCED_OPEN");
	}

	@Test
	void storageIsDownInHealthWhileReadinessAndTheRestOfTheApiStayUp() {
		store.blackhole();
		await().atMost(EVENTUALLY).until(() -> storageStatus(http.get("/actuator/health")).equals("DOWN"));
		assertThat(http.get("/readyz").statusCode()).isEqualTo(200);
		assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		long id = createUser("unaffected");
		HttpResponse<String> user = http.get("/api/users/" + id);
		assertThat(user.statusCode()).isEqualTo(200);
		assertThat(user.body()).contains("\"name\":\"unaffected\"");
		assertThat(storageStatus(http.get("/actuator/health"))).isEqualTo("DOWN");
	}

	@Test
	void whenStoreIsBackThenUploadsWorkAgain() throws Exception {
		long id = createUser("recovered");
		store.blackhole();
		assertUnavailable(put(id, bytes(1_000)));
		store.pass();
		byte[] avatar = bytes(50_000);
		await().atMost(EVENTUALLY).until(() -> put(id, avatar).statusCode() == 204);
		HttpResponse<byte[]> back = client.send(HttpRequest.newBuilder(uri("/api/users/" + id + "/avatar"))
			.timeout(EVENTUALLY)
			.build(), BodyHandlers.ofByteArray());
		assertThat(back.statusCode()).isEqualTo(200);
		assertThat(back.body()).isEqualTo(avatar);
	}

	@Test
	void whenStorageIsRequiredThenABlackholedStoreFailsReadiness() {
		try (FaultProxy required = FaultProxy.to("127.0.0.1", s3proxy.port());
				ConfigurableApplicationContext application = run(required, "/required",
						"--attach.resources.storage.readiness=required")) {
			Http probes = new Http(((WebServerApplicationContext) application).getWebServer().getPort(), EVENTUALLY);
			await().atMost(EVENTUALLY).until(() -> probes.get("/readyz").statusCode() == 200);
			required.blackhole();
			await().atMost(EVENTUALLY).until(() -> probes.get("/readyz").statusCode() == 503);
			assertThat(storageStatus(probes.get("/actuator/health/readiness"))).isEqualTo("DOWN");
			required.pass();
			await().atMost(EVENTUALLY).until(() -> probes.get("/readyz").statusCode() == 200);
		}
	}

	private static ConfigurableApplicationContext run(FaultProxy proxy, String prefix, String... more) {
		String[] common = { "--STORAGE_URL=s3://" + s3proxy.accessKey() + ":" + s3proxy.secretKey() + "@" + BUCKET
				+ prefix + "?endpoint=http://127.0.0.1:" + proxy.getPort() + "&path_style=true",
				// Small, finite waits for the store, and no retries: the test sees each timeout once.
				"--attach.storage.s3.connect-timeout=1s", "--attach.storage.s3.read-timeout=1s",
				"--attach.storage.s3.api-call-attempt-timeout=1s", "--attach.storage.s3.api-call-timeout=2s",
				"--attach.storage.s3.max-attempts=1",
				// Storage is what this test is about: it must be attached, and the rest stays in-process (H2).
				"--attach.require=storage", "--server.port=0", "--sample.signups.limit=1000",
				"--spring.main.banner-mode=off" };
		String[] args = new String[common.length + more.length];
		System.arraycopy(common, 0, args, 0, common.length);
		System.arraycopy(more, 0, args, common.length, more.length);
		return new SpringApplicationBuilder(SampleApplication.class).run(args);
	}

	private static void assertUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
		// Whole seconds: until the breaker lets a call through again (attach's default is 5 s open), else 5.
		assertThat(response.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 5));
		assertThat(response.body()).contains("\"title\":\"Storage unavailable\"")
			.doesNotContain(s3proxy.secretKey());
	}

	private static String storageStatus(HttpResponse<String> health) {
		return json(health).at("/components/storage/status").asString();
	}

	private static JsonNode json(HttpResponse<String> response) {
		return JsonMapper.shared().readTree(response.body());
	}

	private static ResourceGuard guard() {
		return context.getBean(ResourceGuards.class).find("storage").orElseThrow();
	}

	private static HttpResponse<String> put(long id, byte[] avatar) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri("/api/users/" + id + "/avatar"))
			.header("Content-Type", "image/png")
			.PUT(BodyPublishers.ofByteArray(avatar))
			.timeout(EVENTUALLY)
			.build();
		return client.send(request, BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(String path) {
		return http.get(path);
	}

	private static long createUser(String name) {
		String email = name + "-" + users.incrementAndGet() + "@example.com";
		HttpResponse<String> created = http.postJson("/api/users",
				"{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Matcher id = ID.matcher(created.body());
		assertThat(id.find()).isTrue();
		return Long.parseLong(id.group(1));
	}

	private static URI uri(String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

}
