package io.attach.sample;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.attach.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the user API on the dev profile, where nothing is attached and H2 is embedded.
 *
 * @author attach
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class UserApiTests {

	@LocalServerPort
	private int port;

	private Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port, Duration.ofSeconds(5));
	}

	@Test
	void createdUserCanBeReadBack() {
		HttpResponse<String> created = this.http.postJson("/api/users", """
				{"name": "Ada Lovelace", "email": "ada@example.com"}""");
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.body()).contains("\"name\":\"Ada Lovelace\"", "\"email\":\"ada@example.com\"");
		String id = created.body().replaceAll(".*\"id\":(\\d+).*", "$1");
		assertThat(created.headers().firstValue("Location")).hasValue("/api/users/" + id);
		HttpResponse<String> read = this.http.get("/api/users/" + id);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).isEqualTo(created.body());
	}

	@Test
	void createdUserGetsAWelcomeMailWrittenToTheLog(CapturedOutput output) {
		HttpResponse<String> created = this.http.postJson("/api/users", """
				{"name": "Grace Hopper", "email": "grace@example.com"}""");
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(output).contains("to [grace@example.com] (not sent: MAIL_BACKEND is console)",
				"Subject: Welcome, Grace Hopper", "From: attach sample <no-reply@attach-sample.invalid>");
	}

	@Test
	void unknownUserIs404() {
		HttpResponse<String> response = this.http.get("/api/users/987654");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void malformedJsonIs400ProblemDetail() {
		assertProblem(this.http.postJson("/api/users", "{\"name\": "), 400);
	}

	@Test
	void invalidEmailIs400ProblemDetail() {
		assertProblem(this.http.postJson("/api/users", "{\"name\": \"Ada\", \"email\": \"not-an-address\"}"), 400);
	}

	@Test
	void missingFieldsAre400ProblemDetail() {
		assertProblem(this.http.postJson("/api/users", "{}"), 400);
	}

	@Test
	void nonNumericIdIs400ProblemDetail() {
		assertProblem(this.http.get("/api/users/abc"), 400);
	}

	@Test
	void devProfileAttachesNothingAndStaysReady() {
		assertThat(this.http.get("/actuator/attachments").body()).isEqualTo("{\"resources\":[]}");
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(200);
		assertThat(this.http.get("/livez").statusCode()).isEqualTo(200);
	}

	private static void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"status\":" + status);
	}

}
