package io.attach.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.attach.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the limit on sign-ups, each of which sends a mail, on the dev profile.
 *
 * @author attach
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.signups.limit=2", "sample.signups.period=1h" })
class SignupLimitTests {

	@LocalServerPort
	private int port;

	private Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port, Duration.ofSeconds(5));
	}

	@Test
	void signUpsBeyondTheLimitAre429WithRetryAfterAndInvalidOnesDoNotCount() {
		assertThat(signUp("not-an-address").statusCode()).isEqualTo(400);
		assertThat(signUp("first@example.com").statusCode()).isEqualTo(201);
		assertThat(signUp("second@example.com").statusCode()).isEqualTo(201);
		HttpResponse<String> limited = signUp("third@example.com");
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(limited.body()).contains("\"status\":429");
		assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Long.parseLong(seconds)).isBetween(3500L, 3600L));
		assertThat(this.http.get("/api/users/1").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> signUp(String email) {
		return this.http.postJson("/api/users", "{\"name\": \"Ada\", \"email\": \"" + email + "\"}");
	}

}
