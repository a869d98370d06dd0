package io.attach.health;

import java.time.Duration;

import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the probes with the machine's PostgreSQL attached through a fault proxy.
 *
 * @author attach
 */
@SpringBootTest(classes = ProbesTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "attach.health.interval=100ms", "management.endpoints.web.exposure.include=health,attachments",
				"management.endpoint.health.show-details=always" })
class ProbesIntegrationTests {

	private static final FaultProxy proxy = LocalServers.POSTGRES.proxy();

	// Kubernetes gives a probe 1 s; a probe that takes longer fails this client.
	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

	@LocalServerPort
	private int port;

	private Http http;

	@DynamicPropertySource
	static void databaseUrl(DynamicPropertyRegistry registry) {
		registry.add("DATABASE_URL", () -> "postgres://postgres:canary-pw@127.0.0.1:" + proxy.getPort() + "/test");
	}

	@BeforeEach
	void awaitReady() {
		// The first requests load the web and actuator classes, seconds on a busy machine: Kubernetes leaves them to
		// a startup probe, so only the probes after warm-up must answer within PROBE_TIMEOUT.
		Http warmUp = new Http(this.port, Duration.ofSeconds(20));
		await().atMost(Duration.ofSeconds(30)).until(() -> warmUp.get("/actuator/health/readiness").statusCode() == 200);
		this.http = new Http(this.port, PROBE_TIMEOUT);
		await().atMost(Duration.ofSeconds(20)).until(() -> status("/actuator/health/readiness") == 200);
	}

	@AfterEach
	void heal() {
		proxy.pass();
	}

	@AfterAll
	static void closeProxy() {
		proxy.close();
	}

	@Test
	void whenDatabaseIsHealthyThenBothProbesAreUp() {
		assertThat(this.http.get("/actuator/health/readiness").body()).contains("\"database\"");
		assertThat(status("/readyz")).isEqualTo(200);
		assertThat(status("/livez")).isEqualTo(200);
		assertThat(this.http.get("/actuator/health/liveness").body()).doesNotContain("database");
	}

	@Test
	void whenDatabaseRefusesThenReadinessFailsAndLivenessStaysUp() {
		proxy.refuse();
		await().atMost(Duration.ofSeconds(10)).until(() -> status("/actuator/health/readiness") == 503);
		assertThat(status("/readyz")).isEqualTo(503);
		assertThat(status("/livez")).isEqualTo(200);
		assertThat(status("/actuator/health/liveness")).isEqualTo(200);
	}

	@Test
	void whenDatabaseIsBlackholedThenReadinessStillAnswersWithinTheProbeTimeout() {
		proxy.blackhole();
		// Every probe must answer within PROBE_TIMEOUT, or the client throws and the test fails.
		await().atMost(Duration.ofSeconds(10)).until(() -> status("/readyz") == 503);
		// Which failure the details name first depends on timing (the pooled connection the black hole cut, or a
		// check that hangs); what matters is that readiness says DOWN at once, every time, within the probe timeout.
		String readiness = this.http.get("/actuator/health/readiness").body();
		assertThat(readiness).contains("\"database\":{").contains("\"status\":\"DOWN\"");
		for (int i = 0; i < 20; i++) {
			assertThat(status("/readyz")).isEqualTo(503);
			assertThat(status("/livez")).isEqualTo(200);
		}
	}

	@Test
	void whenDatabaseComesBackThenReadinessRecovers() {
		proxy.refuse();
		await().atMost(Duration.ofSeconds(10)).until(() -> status("/readyz") == 503);
		proxy.pass();
		await().atMost(Duration.ofSeconds(20)).until(() -> status("/readyz") == 200);
	}

	@Test
	void attachmentsEndpointDescribesTheDatabaseWithoutItsPassword() {
		String body = this.http.get("/actuator/attachments").body();
		assertThat(body).contains("\"name\":\"database\"", "\"kind\":\"jdbc\"", "\"source\":\"DATABASE_URL\"",
				"\"readiness\":\"required\"", "\"status\":\"UP\"", "postgres://postgres:****@127.0.0.1:",
				"\"latencyMillis\"", "\"checkedAt\"");
		assertThat(body).doesNotContain("canary-pw");
	}

	@Test
	void bootsUnboundedDbCheckIsReplacedByTheBoundedOne() {
		String health = this.http.get("/actuator/health").body();
		assertThat(health).contains("\"database\"").doesNotContain("\"db\"");
	}

	private int status(String path) {
		return this.http.get(path).statusCode();
	}

}
