package io.attach.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the {@link OutboxEndpoint} over HTTP, in a web application on a real port: what a browser on another
 * site could send must not requeue anything.
 *
 * @author attach
 */
@SpringBootTest(classes = OutboxEndpointWebTests.OutboxApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=outbox")
class OutboxEndpointWebTests {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private FileOutboxStore store;

	@BeforeEach
	void parkAnItem() {
		this.store.requeueParked("mail");
		this.store.claim("mail", 100, Duration.ofMinutes(1)).forEach((item) -> this.store.delivered("mail", item));
		this.store.add("mail", "<1@x>", OutboxStoreContractTests.bytes("one"));
		this.store.park("mail", this.store.claim("mail", 1, Duration.ofMinutes(1)).get(0), "535 authentication failed");
	}

	@Test
	void whenJsonAsksToRequeueParkedItemsThenTheyAreRequeued() {
		HttpResponse<String> response = post("/actuator/outbox/mail", "application/json", "{\"requeue\":\"parked\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"requeued\":1");
		assertThat(this.store.stats("mail").parked()).isZero();
	}

	@Test
	void whenThePostHasNoContentTypeThenNothingIsRequeued() {
		HttpResponse<String> response = post("/actuator/outbox/mail", null, "");
		assertThat(response.statusCode()).isBetween(400, 499);
		assertThat(this.store.stats("mail").parked()).isOne();
	}

	@Test
	void whenAnotherSiteCouldHaveSentThePostThenNothingIsRequeued() {
		assertThat(post("/actuator/outbox/mail", "text/plain", "{\"requeue\":\"parked\"}").statusCode())
			.isEqualTo(415);
		assertThat(post("/actuator/outbox/mail", "application/x-www-form-urlencoded", "requeue=parked").statusCode())
			.isEqualTo(415);
		assertThat(post("/actuator/outbox/mail", "multipart/form-data; boundary=x",
				"--x\r\nContent-Disposition: form-data; name=\"requeue\"\r\n\r\nparked\r\n--x--\r\n")
			.statusCode()).isEqualTo(415);
		assertThat(post("/actuator/outbox/mail", "application/x-www-form-urlencoded", "").statusCode())
			.isBetween(400, 499);
		assertThat(this.store.stats("mail").parked()).isOne();
	}

	@Test
	void whenTheRequestNamesNeitherRequeueNorDiscardThenItIsABadRequest() {
		assertThat(post("/actuator/outbox/mail", "application/json", "{}").statusCode()).isEqualTo(400);
		assertThat(post("/actuator/outbox/mail", "application/json", "{\"requeue\":\"<1@x>\",\"discard\":\"<1@x>\"}")
			.statusCode()).isEqualTo(400);
		assertThat(this.store.stats("mail").parked()).isOne();
	}

	@Test
	void parkedItemsAreListedWithoutTheirPayload() {
		HttpResponse<String> response = get("/actuator/outbox/mail");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"id\":\"<1@x>\"")
			.contains("\"lastError\":\"535 authentication failed\"")
			.contains("\"attempts\":")
			.contains("\"enqueuedAt\":")
			.doesNotContain("one")
			.doesNotContain("payload");
		assertThat(get("/actuator/outbox/cache").statusCode()).isEqualTo(404);
	}

	@Test
	void parkedItemIsRequeuedOrDiscardedByItsId() {
		assertThat(post("/actuator/outbox/mail", "application/json", "{\"discard\":\"<2@x>\"}").statusCode())
			.isEqualTo(404);
		HttpResponse<String> requeued = post("/actuator/outbox/mail", "application/json", "{\"requeue\":\"<1@x>\"}");
		assertThat(requeued.statusCode()).isEqualTo(200);
		assertThat(requeued.body()).contains("\"requeued\":\"<1@x>\"");
		assertThat(this.store.stats("mail").parked()).isZero();
		this.store.park("mail", this.store.claim("mail", 1, Duration.ofMinutes(1)).get(0), "550 no such user");
		HttpResponse<String> discarded = post("/actuator/outbox/mail", "application/json", "{\"discard\":\"<1@x>\"}");
		assertThat(discarded.statusCode()).isEqualTo(200);
		assertThat(discarded.body()).contains("\"discarded\":\"<1@x>\"");
		assertThat(this.store.stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
	}

	@Test
	void whenNoOutboxServesTheResourceThenItIsNotFound() {
		assertThat(post("/actuator/outbox/cache", "application/json", "{\"requeue\":\"parked\"}").statusCode())
			.isEqualTo(404);
	}

	private HttpResponse<String> get(String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpResponse<String> post(String path, String contentType, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class OutboxApplication {

		@Bean
		FileOutboxStore outboxStore() throws IOException {
			return new FileOutboxStore(Files.createTempDirectory("attach-outbox-endpoint"));
		}

		@Bean
		Outbox mailOutbox(FileOutboxStore outboxStore) {
			// Never started: these tests only requeue.
			OutboxRelay relay = new OutboxRelay("mail", outboxStore, () -> {
				throw new IllegalStateException("not delivering in this test");
			}, null, new AttachOutboxProperties(), () -> true, OutboxListener.NONE);
			return new Outbox("mail", outboxStore, relay);
		}

	}

}
