package io.attach.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the whole storage auto-configuration of a web application, {@code STORAGE_URL} naming a
 * bucket of S3Proxy behind a {@link FaultProxy}: files round-trip through attach's {@link FileStorage}, an outage
 * fails calls within the configured timeouts and opens the breaker, the health check says DOWN without hanging and UP
 * again, and the secret shows nowhere.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class StorageAttachIntegrationTests {

	private static final String BUCKET = "attach-app";

	// The longest one call waits: metadata-call-timeout below.
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

	// Time for the JVM and the SDK to notice the timeout and unwind, beyond the timeout itself.
	private static final Duration SLACK = Duration.ofSeconds(3);

	// Kubernetes gives a probe 1 s; attach's health timeout below is shorter, so a health request never waits more.
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	private static S3ProxyServer s3proxy;

	private FaultProxy proxy;

	private ConfigurableApplicationContext application;

	@BeforeAll
	static void startS3Proxy() {
		s3proxy = S3ProxyServer.start(BUCKET);
	}

	@AfterAll
	static void stopS3Proxy() {
		s3proxy.close();
	}

	@BeforeEach
	void startProxy() {
		this.proxy = FaultProxy.to("127.0.0.1", s3proxy.port());
	}

	@AfterEach
	void stop() {
		if (this.application != null) {
			this.application.close();
		}
		this.proxy.close();
	}

	@Test
	void filesRoundTripThroughTheAttachedBucketAndNeitherHealthNorAttachmentsNorTheLogShowTheSecret(
			CapturedOutput output) throws IOException {
		FileStorage files = start();
		assertThat(files).isInstanceOf(GuardedFileStorage.class);
		assertThat(files.capabilities().backend()).isEqualTo("s3");
		byte[] content = "hello, bucket".getBytes(StandardCharsets.UTF_8);
		files.put("avatars/42.png", content, PutOptions.defaults().withContentType("image/png"));
		try (InputStream in = files.open("avatars/42.png")) {
			assertThat(in.readAllBytes()).isEqualTo(content);
		}
		assertThat(files.stat("avatars/42.png").contentType()).isEqualTo("image/png");
		// The first requests load the web and actuator classes, seconds on a busy machine.
		Http http = new Http(port(), Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/actuator/health/storage").body().contains("UP"));
		String health = http.get("/actuator/health").body();
		assertThat(health).contains("\"storage\":{").contains("\"backend\":\"s3\"").contains("s3://" + BUCKET);
		String attachments = http.get("/actuator/attachments").body();
		assertThat(attachments).contains("\"name\":\"storage\"", "\"source\":\"STORAGE_URL\"", "s3://");
		assertThat(health).doesNotContain(s3proxy.secretKey());
		assertThat(attachments).doesNotContain(s3proxy.secretKey());
		assertThat(output).contains("Attached storage (storage) from STORAGE_URL")
			.doesNotContain(s3proxy.secretKey());
	}

	@Test
	void aBlackHoledStoreFailsCallsWithinTheTimeoutsUntilTheBreakerRefusesThemWithoutReachingIt(
			CapturedOutput output) {
		// No health check, which would hold the breaker open on its own, and a breaker open for a minute: only the
		// failed calls can open it, and it stays open while the test looks.
		FileStorage files = start("management.health.storage.enabled=false",
				"resilience4j.circuitbreaker.instances.storage.wait-duration-in-open-state=60s");
		files.put("warm", new byte[] { 1 }, PutOptions.defaults());
		this.proxy.blackhole();
		List<StorageUnavailableException> failures = new ArrayList<>();
		StorageUnavailableException refused = null;
		while (refused == null && failures.size() < 10) {
			long start = System.nanoTime();
			StorageUnavailableException failure = catchThrowableOfType(StorageUnavailableException.class,
					() -> files.stat("warm"));
			assertThat(failure).as("call %d", failures.size() + 1).isNotNull();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(CALL_TIMEOUT.plus(SLACK));
			if (failure.getRetryAfter().isPresent()) {
				refused = failure;
			}
			else {
				failures.add(failure);
			}
		}
		// The breaker's window: five calls that reached the black hole.
		assertThat(failures).hasSize(5)
			.allSatisfy((failure) -> assertThat(failure).hasMessageContaining("could not be reached"));
		assertThat(refused).isNotNull();
		assertThat(refused.getRetryAfter()).hasValueSatisfying(
				(retryAfter) -> assertThat(retryAfter).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60)));
		long sent = this.proxy.getBytesFromClients();
		StorageUnavailableException upload = catchThrowableOfType(StorageUnavailableException.class,
				() -> files.put("refused", new byte[] { 2 }, PutOptions.defaults()));
		assertThat(upload).isNotNull();
		assertThat(upload.getRetryAfter()).isPresent();
		assertThat(this.proxy.getBytesFromClients()).isEqualTo(sent);
		assertThat(output).doesNotContain(s3proxy.secretKey());
	}

	@Test
	void whileTheStoreIsBlackHoledTheHealthCheckSaysDownWithoutHangingAndUpOnceItIsBack(CapturedOutput output) {
		FileStorage files = start("attach.health.interval=200ms", "attach.health.timeout=500ms");
		Http warmUp = new Http(port(), Duration.ofSeconds(20));
		// The first requests load the web and actuator classes, seconds on a busy machine: Kubernetes leaves them to
		// a startup probe, so only the requests after warm-up must answer within PROBE_TIMEOUT.
		await().atMost(Duration.ofSeconds(30)).until(() -> warmUp.get("/actuator/health/storage").statusCode() == 200);
		assertThat(warmUp.get("/actuator/health").statusCode()).isEqualTo(200);
		assertThat(warmUp.get("/actuator/attachments").statusCode()).isEqualTo(200);
		Http http = http();
		assertThat(http.get("/actuator/health").statusCode()).isEqualTo(200);
		this.proxy.blackhole();
		// Every request must answer within PROBE_TIMEOUT, or the client throws and the test fails.
		await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/actuator/health/storage").statusCode() == 503);
		// Bounded by attach.health.timeout: the check gave up on the black hole, it did not wait out the client.
		String down = http.get("/actuator/health/storage").body();
		assertThat(down).contains("\"status\":\"DOWN\"", "No answer within 500ms");
		assertThat(http.get("/actuator/health").statusCode()).isEqualTo(503);
		// Degradable by default: an outage of the store costs the storage calls, not the instance's readiness.
		assertThat(http.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		for (int i = 0; i < 5; i++) {
			assertThat(http.get("/actuator/health/storage").statusCode()).isEqualTo(503);
		}
		// The DOWN check holds the breaker open: calls fail at once, saying when to retry.
		StorageUnavailableException refused = catchThrowableOfType(StorageUnavailableException.class,
				() -> files.stat("anything"));
		assertThat(refused).isNotNull();
		assertThat(refused.getRetryAfter()).isPresent();
		String attachments = http.get("/actuator/attachments").body();
		this.proxy.pass();
		await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/actuator/health/storage").statusCode() == 200);
		// The UP check lets calls through again.
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			files.put("back", new byte[] { 3 }, PutOptions.defaults());
			return true;
		});
		assertThat(files.stat("back").size()).isOne();
		assertThat(down).doesNotContain(s3proxy.secretKey());
		assertThat(attachments).contains("\"name\":\"storage\"").doesNotContain(s3proxy.secretKey());
		assertThat(output).doesNotContain(s3proxy.secretKey());
	}

	private FileStorage start(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "management.endpoints.web.exposure.include=health,attachments",
				"management.endpoint.health.show-details=always",
				"STORAGE_URL=s3://" + s3proxy.accessKey() + ":" + s3proxy.secretKey() + "@" + BUCKET
						+ "?endpoint=http://127.0.0.1:" + this.proxy.getPort() + "&path_style=true",
				"attach.storage.s3.connect-timeout=1s", "attach.storage.s3.read-timeout=2s",
				"attach.storage.s3.metadata-call-attempt-timeout=1s",
				"attach.storage.s3.metadata-call-timeout=" + CALL_TIMEOUT.toSeconds() + "s",
				"attach.storage.s3.api-call-attempt-timeout=2s", "attach.storage.s3.api-call-timeout=4s",
				"attach.storage.s3.max-attempts=2"));
		all.addAll(List.of(properties));
		this.application = new SpringApplicationBuilder(StorageTestApplication.class)
			.properties(all.toArray(String[]::new))
			.run();
		return this.application.getBean(FileStorage.class);
	}

	private int port() {
		return ((WebServerApplicationContext) this.application).getWebServer().getPort();
	}

	private Http http() {
		return new Http(port(), PROBE_TIMEOUT);
	}

	/**
	 * A bare web application with the starter's auto-configuration.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class StorageTestApplication {

	}

}
