package io.attach.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;

import io.attach.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
	void bodyLargerThanTheLimitIs413BeforeItIsRead() throws IOException {
		// Sixty megabytes announced, a few bytes sent: reading the body would wait for the rest and time out.
		String response = raw("POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: 62914560\r\n\r\n{\"name\":\"");
		assertThat(response).startsWith("HTTP/1.1 413 ")
			.contains("Content-Type: application/problem+json")
			.contains("\"status\":413");
	}

	@Test
	void chunkedBodyLargerThanTheLimitIs413() throws IOException {
		String chunk = "{\"name\":\"" + "a".repeat(20_000);
		String response = raw("POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
		assertThat(response).startsWith("HTTP/1.1 413 ").contains("\"status\":413");
	}

	@Test
	void chunkedBodyWithinTheLimitIsRead() throws IOException {
		String body = "{\"name\": \"Chunked\", \"email\": \"chunked@example.com\"}";
		String response = raw("POST /api/users HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length())
				+ "\r\n" + body + "\r\n0\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 201 ").contains("\"email\":\"chunked@example.com\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Ada\\u0000", "Ada\\r\\n2024-01-01 INFO forged line", "Ada\\nLovelace", "Ada\\u0007",
			"Ada\\u0085", "Ada\\u2028", "\\u202Eecalevol", "Ada\\ud800", "Ada\\u007f" })
	void controlCharacterInNameIs400ProblemDetail(String name) {
		assertProblem(this.http.postJson("/api/users", "{\"name\": \"" + name + "\", \"email\": \"ada@example.com\"}"),
				400);
	}

	@Test
	void nameLongerThan100CharactersIs400ProblemDetail() {
		assertProblem(this.http.postJson("/api/users",
				"{\"name\": \"" + "a".repeat(101) + "\", \"email\": \"ada@example.com\"}"), 400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ada", "ada@localhost", "ada@example", "ada@example.123", "\\\"ada\\\"@example.com",
			"a da@example.com", "ada@[127.0.0.1]", "Ada <ada@example.com>", "ada@example.com (Ada)",
			"ada@example.com\\r\\nBcc: victim@example.com", "ada@example.com,bob@example.com", ".ada@example.com",
			"ada.@example.com", "a..da@example.com", "ada@-example.com", "ada@example-.com", "ada@example..com",
			"\\u00e4da@example.com", "ada@\\u00e9xample.com", "ada\\u0000@example.com", "ada@@example.com" })
	void addressThatMailServersRefuseIs400ProblemDetail(String email) {
		assertProblem(this.http.postJson("/api/users", "{\"name\": \"Ada\", \"email\": \"" + email + "\"}"), 400);
	}

	@Test
	void addressLongerThanMailServersAcceptIs400ProblemDetail() {
		String longLocalPart = "a".repeat(65) + "@example.com";
		String longAddress = "ada@" + "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
				+ "d".repeat(55) + ".com";
		assertThat(longAddress).hasSize(255);
		assertProblem(this.http.postJson("/api/users", "{\"name\": \"Ada\", \"email\": \"" + longLocalPart + "\"}"),
				400);
		assertProblem(this.http.postJson("/api/users", "{\"name\": \"Ada\", \"email\": \"" + longAddress + "\"}"),
				400);
	}

	@Test
	void unusualButValidAddressAndNameAreAccepted() {
		HttpResponse<String> created = this.http.postJson("/api/users", """
				{"name": "Zoë O'Brien-Łukasiewicz 😀", "email": "o'brien+tag@mail.example-site.co.uk"}""");
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.body()).contains("\"email\":\"o'brien+tag@mail.example-site.co.uk\"");
	}

	@Test
	void devProfileAttachesNothingAndStaysReady() {
		assertThat(this.http.get("/actuator/attachments").body()).isEqualTo("{\"resources\":[]}");
		assertThat(this.http.get("/readyz").statusCode()).isEqualTo(200);
		assertThat(this.http.get("/livez").statusCode()).isEqualTo(200);
	}

	// A request exactly as written, on a socket of its own, for what the HTTP client would not send; the response is
	// read up to its end, not the connection's, as the server may still wait for the rest of the request.
	private String raw(String request) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			ByteArrayOutputStream response = new ByteArrayOutputStream();
			byte[] buffer = new byte[8192];
			int read;
			while (!isComplete(response.toString(StandardCharsets.UTF_8))
					&& (read = socket.getInputStream().read(buffer)) != -1) {
				response.write(buffer, 0, read);
			}
			return response.toString(StandardCharsets.UTF_8);
		}
	}

	private static boolean isComplete(String response) {
		int headersEnd = response.indexOf("\r\n\r\n");
		if (headersEnd < 0) {
			return false;
		}
		Matcher length = Pattern.compile("(?im)^Content-Length: *(\\d+)").matcher(response.substring(0, headersEnd));
		if (length.find()) {
			return response.length() - headersEnd - 4 >= Integer.parseInt(length.group(1));
		}
		return response.endsWith("\r\n0\r\n\r\n");
	}

	private static void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"status\":" + status);
	}

}
