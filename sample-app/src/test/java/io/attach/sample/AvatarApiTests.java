package io.attach.sample;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.attach.storage.FileStorage;
import io.attach.test.Http;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the avatar API on the dev profile, where nothing is attached and files go to a local directory.
 *
 * @author attach
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "sample.signups.limit=1000", "sample.avatars.max-size=64KB" })
class AvatarApiTests {

	private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

	private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	@Autowired
	private FileStorage storage;

	private Http http;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeEach
	void client() {
		this.http = new Http(this.port, Duration.ofSeconds(5));
	}

	@Test
	void uploadedAvatarIsStreamedBackWithItsContentTypeAndLength() throws Exception {
		long id = createUser("avatar-round-trip@example.com");
		byte[] image = bytes(40_000);
		assertThat(put(id, "image/png", image).statusCode()).isEqualTo(204);
		HttpResponse<byte[]> response = get("/api/users/" + id + "/avatar");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(image.length);
		assertThat(response.body()).isEqualTo(image);
	}

	@Test
	void avatarLargerThanTheLimitIsAnswered413AndNothingIsKept() throws Exception {
		long id = createUser("avatar-too-large@example.com");
		assertThat(put(id, "image/png", bytes(64 * 1024 + 1)).statusCode()).isEqualTo(413);
		assertThat(this.storage.exists("avatars/" + id)).isFalse();
	}

	@Test
	void avatarOfUnknownLengthLargerThanTheLimitIsAnswered413AndNothingIsKept() throws Exception {
		long id = createUser("avatar-chunked@example.com");
		HttpRequest request = HttpRequest.newBuilder(uri("/api/users/" + id + "/avatar"))
			.header("Content-Type", "image/jpeg")
			// An input stream publisher has no length: the body goes chunked, and only the limit stops it.
			.PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes(200_000))))
			.timeout(Duration.ofSeconds(10))
			.build();
		assertThat(this.client.send(request, BodyHandlers.discarding()).statusCode()).isEqualTo(413);
		assertThat(this.storage.exists("avatars/" + id)).isFalse();
	}

	@Test
	void avatarThatIsNoImageIsAnswered415() throws Exception {
		long id = createUser("avatar-text@example.com");
		assertThat(put(id, "text/plain", bytes(10)).statusCode()).isEqualTo(415);
		assertThat(this.storage.exists("avatars/" + id)).isFalse();
	}

	@Test
	void avatarLabelledAsFormDataIsAnswered415WithoutItsBodyBeingParsed() throws Exception {
		long id = createUser("avatar-form@example.com");
		// What curl --data-binary sends without -H: an image's bytes as a form, larger than the avatar limit.
		assertThat(put(id, "application/x-www-form-urlencoded", bytes(64 * 1024 + 1)).statusCode()).isEqualTo(415);
		assertThat(this.storage.exists("avatars/" + id)).isFalse();
	}

	@Test
	void avatarOfUnknownUserIsAnswered404() throws Exception {
		assertThat(put(987_654_321L, "image/png", bytes(10)).statusCode()).isEqualTo(404);
		assertThat(get("/api/users/987654321/avatar").statusCode()).isEqualTo(404);
	}

	@Test
	void deletedAvatarIsGone() throws Exception {
		long id = createUser("avatar-deleted@example.com");
		put(id, "image/gif", bytes(100));
		assertThat(this.http.delete("/api/users/" + id + "/avatar").statusCode()).isEqualTo(204);
		assertThat(get("/api/users/" + id + "/avatar").statusCode()).isEqualTo(404);
		assertThat(this.http.delete("/api/users/" + id + "/avatar").statusCode()).isEqualTo(204);
	}

	@Test
	void linkDownloadsTheAvatarWithoutTheApi() throws Exception {
		long id = createUser("avatar-link@example.com");
		byte[] image = bytes(5_000);
		put(id, "image/webp", image);
		HttpResponse<String> link = this.http.get("/api/users/" + id + "/avatar/link");
		assertThat(link.statusCode()).isEqualTo(200);
		Matcher url = URL.matcher(link.body());
		assertThat(url.find()).as(link.body()).isTrue();
		URI presigned = uri("/").resolve(url.group(1));
		HttpResponse<byte[]> download = this.client.send(HttpRequest.newBuilder(presigned).build(),
				BodyHandlers.ofByteArray());
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.body()).isEqualTo(image);
		URI tampered = URI.create(presigned.toString().replace("avatars/" + id, "avatars/" + (id + 1)));
		assertThat(this.client.send(HttpRequest.newBuilder(tampered).build(), BodyHandlers.discarding()).statusCode())
			.isEqualTo(403);
	}

	private HttpResponse<Void> put(long id, String contentType, byte[] body) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri("/api/users/" + id + "/avatar"))
			.header("Content-Type", contentType)
			.PUT(BodyPublishers.ofByteArray(body))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.client.send(request, BodyHandlers.discarding());
	}

	private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				BodyHandlers.ofByteArray());
	}

	private long createUser(String email) {
		HttpResponse<String> created = this.http.postJson("/api/users",
				"{\"name\":\"Avatar\",\"email\":\"" + email + "\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Matcher id = ID.matcher(created.body());
		assertThat(id.find()).isTrue();
		return Long.parseLong(id.group(1));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

}
