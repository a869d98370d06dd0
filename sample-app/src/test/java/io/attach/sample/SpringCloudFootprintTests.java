package io.attach.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.attach.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the starter brings Spring Cloud CircuitBreaker with Resilience4j and nothing else of Spring Cloud into the
 * health endpoint, the endpoints and the class path, with every endpoint exposed so that none can hide.
 *
 * @author attach
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "management.endpoints.web.exposure.include=*")
class SpringCloudFootprintTests {

	@LocalServerPort
	private int port;

	private Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port, Duration.ofSeconds(5));
	}

	@Test
	void healthHasNoEntryOfSpringCloud() {
		HttpResponse<String> health = this.http.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"db\"", "\"diskSpace\"")
			.doesNotContain("discoveryComposite", "discoveryClient", "refreshScope");
	}

	@Test
	void endpointsAreResilience4jsButNoneOfSpringCloud() {
		HttpResponse<String> links = this.http.get("/actuator");
		assertThat(links.statusCode()).isEqualTo(200);
		assertThat(links.body()).contains("/actuator/circuitbreakers\"", "/actuator/timelimiters\"")
			.doesNotContain("/actuator/refresh\"", "/actuator/restart\"", "/actuator/pause\"", "/actuator/resume\"",
					"/actuator/features\"", "/actuator/serviceregistry\"");
	}

	@Test
	void classPathHasNoSpringCloudContextNorWhatOnlyItBrought() {
		assertThat(ClassUtils.isPresent("org.springframework.cloud.context.scope.GenericScope", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.bouncycastle.jce.provider.BouncyCastleProvider", null)).isFalse();
		assertThat(ClassUtils.isPresent("kotlin.Unit", null)).isFalse();
		assertThat(ClassUtils.isPresent("org.springframework.security.crypto.encrypt.TextEncryptor", null)).isFalse();
		// What Spring Cloud CircuitBreaker needs stays.
		assertThat(ClassUtils.isPresent(
				"org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory", null))
			.isTrue();
	}

}
