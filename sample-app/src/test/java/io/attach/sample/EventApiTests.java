package io.attach.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.attach.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the event log on the dev profile, where nothing is attached: {@code user.created} goes through the
 * in-process backend to the subscriber, which records it in H2.
 *
 * @author attach
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "sample.signups.limit=1000")
class EventApiTests {

	private static final Pattern EVENT = Pattern.compile("\\{\"messageId\":\"([^\"]+)\",\"userId\":(\\d+),"
			+ "\"email\":\"([^\"]+)\",\"createdAt\":\"([^\"]+)\",\"handledAt\":\"([^\"]+)\"}");

	@LocalServerPort
	private int port;

	// With no database attached the outbox keeps messages in files, locked by one application context at a time: this
	// test's context gets a directory of its own, empty, so that no message of an earlier run is delivered in it.
	@DynamicPropertySource
	static void outboxDirectory(DynamicPropertyRegistry registry) throws IOException {
		Path directory = Files.createTempDirectory("attach-sample-events");
		registry.add("attach.outbox.directory", directory::toString);
	}

	private Http http;

	@BeforeEach
	void client() {
		this.http = new Http(this.port, Duration.ofSeconds(5));
	}

	@Test
	void createdUserIsHandledOnceAndListedWithItsIdEmailAndMessageId() {
		long id = createUser("events-once@example.com");
		List<Event> events = awaitHandled(List.of(id));
		List<Event> forUser = events.stream().filter((event) -> event.userId() == id).toList();
		assertThat(forUser).singleElement().satisfies((event) -> {
			assertThat(event.email()).isEqualTo("events-once@example.com");
			assertThat(event.messageId()).isNotBlank();
			assertThat(event.handledAt()).isAfterOrEqualTo(event.createdAt());
		});
	}

	@Test
	void eventsAreListedNewestFirst() {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			// One at a time, so that the order of handling is the order of creation.
			ids.add(createUser("events-order-" + i + "@example.com"));
			awaitHandled(List.of(ids.get(i)));
		}
		List<Long> listed = events("/api/events?limit=1000").stream()
			.map(Event::userId)
			.filter(ids::contains)
			.toList();
		assertThat(listed).containsExactly(ids.get(2), ids.get(1), ids.get(0));
	}

	@Test
	void limitDefaultsTo20AndIsHonoured() {
		List<Long> ids = new ArrayList<>();
		for (int i = 0; i < 21; i++) {
			ids.add(createUser("events-limit-" + i + "@example.com"));
		}
		awaitHandled(ids);
		assertThat(events("/api/events")).hasSize(20);
		assertThat(events("/api/events?limit=1")).hasSize(1);
		assertThat(events("/api/events?limit=1000")).hasSizeGreaterThanOrEqualTo(21);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1", "1001", "abc" })
	void limitOutside1To1000Is400ProblemDetail(String limit) {
		HttpResponse<String> response = this.http.get("/api/events?limit=" + limit);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"status\":400");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "1001" })
	void limitOutOfRangeIsNamedInTheProblemDetail(String limit) {
		HttpResponse<String> response = this.http.get("/api/events?limit=" + limit);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"field\":\"limit\"").contains("Invalid request: limit must be");
	}

	@Test
	void devProfileChecksNoBroker() {
		// Boot's own RabbitMQ check would connect to localhost:5672, where no broker was attached.
		HttpResponse<String> health = this.http.get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("rabbit");
	}

	private long createUser(String email) {
		HttpResponse<String> created = this.http.postJson("/api/users",
				"{\"name\": \"Events\", \"email\": \"" + email + "\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		return Long.parseLong(created.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
	}

	private List<Event> awaitHandled(List<Long> ids) {
		return await().atMost(Duration.ofSeconds(10))
			.until(() -> events("/api/events?limit=1000"),
					(events) -> events.stream().map(Event::userId).toList().containsAll(ids));
	}

	private List<Event> events(String path) {
		HttpResponse<String> response = this.http.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		List<Event> events = new ArrayList<>();
		Matcher matcher = EVENT.matcher(response.body());
		while (matcher.find()) {
			events.add(new Event(matcher.group(1), Long.parseLong(matcher.group(2)), matcher.group(3),
					Instant.parse(matcher.group(4)), Instant.parse(matcher.group(5))));
		}
		// Every element of the array was read: none has a shape the pattern missed.
		assertThat(response.body().split("\\},\\{", -1)).hasSize(Math.max(1, events.size()));
		return events;
	}

	private record Event(String messageId, long userId, String email, Instant createdAt, Instant handledAt) {
	}

}
