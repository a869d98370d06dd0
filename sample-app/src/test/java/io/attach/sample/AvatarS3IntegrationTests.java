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

import io.attach.test.FaultProxy;
import io.attach.test.Http;
import io.attach.test.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's avatars in an S3 bucket, with {@code STORAGE_URL=s3://…} naming S3Proxy: stored in the bucket,
 * streamed back, shared by a link S3 itself serves, deleted, and an oversized upload of unknown length leaving neither
 * an object nor an open multipart upload behind.
 *
 * @author attach
 */
class AvatarS3IntegrationTests {

	private static final String BUCKET = "attach-sample-avatars";

	private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

	private static final Pattern URL = Pattern.compile("\"url\":\"([^\"]+)\"");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static S3ProxyServer s3proxy;

	private static S3Client bucket;

	private static ConfigurableApplicationContext context;

	private static int port;

	@BeforeAll
	static void start() {
		s3proxy = S3ProxyServer.start(BUCKET);
		bucket = S3Client.builder()
			.endpointOverride(s3proxy.endpoint())
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(
					StaticCredentialsProvider.create(AwsBasicCredentials.create(s3proxy.accessKey(), s3proxy.secretKey())))
			.build();
		// The default avatar limit, 1MB, well under the S3 part size: an oversized upload never gets to the store.
		context = run("", s3proxy.endpoint());
		port = port(context);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		if (bucket != null) {
			bucket.close();
		}
		if (s3proxy != null) {
			s3proxy.close();
		}
	}

	@Test
	void uploadedAvatarIsAnObjectInTheBucketAndIsStreamedBackWithItsContentTypeAndLength() throws Exception {
		long id = createUser(port, "s3-round-trip@example.com");
		byte[] image = bytes(300_000);
		assertThat(put(port, id, "image/png", BodyPublishers.ofByteArray(image)).statusCode()).isEqualTo(204);
		ResponseBytes<GetObjectResponse> object = bucket
			.getObjectAsBytes((request) -> request.bucket(BUCKET).key("avatars/" + id));
		assertThat(object.asByteArray()).isEqualTo(image);
		assertThat(object.response().contentType()).isEqualTo("image/png");
		HttpResponse<byte[]> response = get(uri(port, "/api/users/" + id + "/avatar"));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(image.length);
		assertThat(response.body()).isEqualTo(image);
	}

	@Test
	void linkIsServedByTheStoreItselfToAPlainHttpClient() throws Exception {
		long id = createUser(port, "s3-link@example.com");
		byte[] image = bytes(20_000);
		assertThat(put(port, id, "image/webp", BodyPublishers.ofByteArray(image)).statusCode()).isEqualTo(204);
		HttpResponse<String> link = new Http(port, TIMEOUT).get("/api/users/" + id + "/avatar/link");
		assertThat(link.statusCode()).isEqualTo(200);
		Matcher url = URL.matcher(link.body());
		assertThat(url.find()).as(link.body()).isTrue();
		URI presigned = URI.create(url.group(1));
		assertThat(presigned.getPort()).isEqualTo(s3proxy.port());
		HttpResponse<byte[]> download = get(presigned);
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("Content-Type")).hasValue("image/webp");
		assertThat(download.body()).isEqualTo(image);
		URI tampered = URI.create(presigned.toString().replace("avatars/" + id, "avatars/" + (id + 1)));
		assertThat(get(tampered).statusCode()).isEqualTo(403);
	}

	@Test
	void deletedAvatarIsGoneFromTheBucket() throws Exception {
		long id = createUser(port, "s3-deleted@example.com");
		assertThat(put(port, id, "image/gif", BodyPublishers.ofByteArray(bytes(100))).statusCode()).isEqualTo(204);
		assertThat(objects("avatars/" + id)).isOne();
		Http http = new Http(port, TIMEOUT);
		assertThat(http.delete("/api/users/" + id + "/avatar").statusCode()).isEqualTo(204);
		assertThat(objects("avatars/" + id)).isZero();
		assertThat(get(uri(port, "/api/users/" + id + "/avatar")).statusCode()).isEqualTo(404);
		assertThat(http.delete("/api/users/" + id + "/avatar").statusCode()).isEqualTo(204);
	}

	@Test
	void avatarOfUnknownLengthOverTheLimitIsAnswered413AndLeavesNoObjectAndNoOpenUpload() throws Exception {
		long id = createUser(port, "s3-too-large@example.com");
		HttpResponse<Void> response = put(port, id, "image/jpeg", unknownLength(bytes(2 * 1024 * 1024)));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(objects("avatars/" + id)).isZero();
		assertThat(openUploads("avatars/" + id)).isZero();
	}

	@Test
	void avatarOfUnknownLengthCutOffAfterItsFirstPartIsAnswered413AndItsMultipartUploadIsAborted() throws Exception {
		// A limit past the smallest S3 part: the first part is uploaded before the limit stops the body. The proxy
		// only counts the bytes that reach the store.
		try (FaultProxy store = FaultProxy.to("127.0.0.1", s3proxy.port());
				// A prefix of its own in the bucket: this application's users are numbered from 1 again.
				ConfigurableApplicationContext multipart = run("/multipart",
						URI.create("http://127.0.0.1:" + store.getPort()),
						"--sample.avatars.max-size=6MB", "--attach.storage.s3.part-size=5MB")) {
			int multipartPort = port(multipart);
			long id = createUser(multipartPort, "s3-multipart-too-large@example.com");
			long before = store.getBytesFromClients();
			HttpResponse<Void> response = put(multipartPort, id, "image/jpeg",
					unknownLength(bytes(8 * 1024 * 1024)));
			assertThat(response.statusCode()).isEqualTo(413);
			// The upload had begun: its first part went to the store before the limit cut the body off.
			assertThat(store.getBytesFromClients() - before).isGreaterThan(5L * 1024 * 1024);
			assertThat(objects("multipart/avatars/" + id)).isZero();
			assertThat(openUploads("multipart/avatars/" + id)).isZero();
		}
	}

	private static ConfigurableApplicationContext run(String path, URI endpoint, String... more) {
		String[] common = { "--STORAGE_URL=s3://" + s3proxy.accessKey() + ":" + s3proxy.secretKey() + "@" + BUCKET
				+ path + "?endpoint=" + endpoint + "&path_style=true",
				// Storage is what this test is about: it must be attached, and the rest stays in-process (H2).
				"--attach.require=storage", "--server.port=0", "--sample.signups.limit=1000",
				"--spring.main.banner-mode=off" };
		String[] args = new String[common.length + more.length];
		System.arraycopy(common, 0, args, 0, common.length);
		System.arraycopy(more, 0, args, common.length, more.length);
		return new SpringApplicationBuilder(SampleApplication.class).run(args);
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static int objects(String key) {
		return (int) bucket.listObjectsV2((request) -> request.bucket(BUCKET).prefix(key))
			.contents()
			.stream()
			.filter((object) -> object.key().equals(key))
			.count();
	}

	private static int openUploads(String key) {
		return (int) bucket.listMultipartUploads((request) -> request.bucket(BUCKET).prefix(key))
			.uploads()
			.stream()
			.filter((upload) -> upload.key().equals(key))
			.count();
	}

	private static HttpResponse<Void> put(int port, long id, String contentType, HttpRequest.BodyPublisher body)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(port, "/api/users/" + id + "/avatar"))
			.header("Content-Type", contentType)
			.PUT(body)
			.timeout(TIMEOUT)
			.build();
		return client.send(request, BodyHandlers.discarding());
	}

	// An input stream publisher has no length: the body goes chunked, and only the limit stops it.
	private static HttpRequest.BodyPublisher unknownLength(byte[] body) {
		return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
	}

	private static HttpResponse<byte[]> get(URI uri) throws IOException, InterruptedException {
		return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), BodyHandlers.ofByteArray());
	}

	private static long createUser(int port, String email) {
		HttpResponse<String> created = new Http(port, TIMEOUT).postJson("/api/users",
				"{\"name\":\"Avatar\",\"email\":\"" + email + "\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		Matcher id = ID.matcher(created.body());
		assertThat(id.find()).isTrue();
		return Long.parseLong(id.group(1));
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static byte[] bytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

}
