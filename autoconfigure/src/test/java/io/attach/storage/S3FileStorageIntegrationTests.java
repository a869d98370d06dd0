package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.attach.test.S3ProxyServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Integration tests for {@link S3FileStorage} against S3Proxy, over the real S3 protocol.
 *
 * @author attach
 */
class S3FileStorageIntegrationTests {

	private static final String BUCKET = "attach-s3-tests";

	private static final int PART = (int) DataSize.ofMegabytes(5).toBytes();

	private static S3ProxyServer s3proxy;

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private S3Target target;

	private S3Client client;

	private S3Presigner presigner;

	private S3FileStorage storage;

	@BeforeAll
	static void startS3Proxy() {
		s3proxy = S3ProxyServer.start(BUCKET);
	}

	@AfterAll
	static void stopS3Proxy() {
		s3proxy.close();
	}

	@BeforeEach
	void createStorage() {
		// Each test under a prefix of its own: what it stores is what it finds.
		this.target = new S3Target(BUCKET, "t-" + UUID.randomUUID() + "/", null, s3proxy.endpoint(), true,
				s3proxy.accessKey(), s3proxy.secretKey(), "STORAGE_URL");
		S3StorageProperties properties = new S3StorageProperties();
		properties.setPartSize(DataSize.ofBytes(PART));
		this.client = S3Clients.client(this.target, properties);
		this.presigner = S3Clients.presigner(this.target);
		this.storage = new S3FileStorage(this.client, this.presigner, this.target, properties);
	}

	@AfterEach
	void closeClients() {
		this.client.close();
		this.presigner.close();
	}

	@Test
	void keysOtherToolsWroteThatTheGrammarRefusesAreSkippedAndPagingGoesOnPastThem() {
		for (String objectKey : new String[] { "a.txt", "b/", "b\\c", "c.txt", "d/", "e.txt" }) {
			// As a console's "folder" markers and other tools' keys land in a shared bucket.
			this.client.putObject((request) -> request.bucket(BUCKET).key(this.target.prefix() + objectKey),
					RequestBody.fromString("x"));
		}
		try (Stream<StoredFile> files = this.storage.list("")) {
			assertThat(files.map(StoredFile::key)).containsExactly("a.txt", "c.txt", "e.txt");
		}
		List<String> paged = new ArrayList<>();
		String startAfter = null;
		do {
			// One key a page: some pages hold only a refused key, and the next page starts after it.
			FilePage page = this.storage.listPage("", startAfter, 1);
			page.files().forEach((file) -> paged.add(file.key()));
			startAfter = page.nextStartAfter();
		}
		while (startAfter != null);
		assertThat(paged).containsExactly("a.txt", "c.txt", "e.txt");
	}

	@Test
	void aKeyThatTheBucketsPrefixMakesTooLongForS3IsAnInvalidKey() {
		String key = "k".repeat(200) + "/" + "l".repeat(200) + "/" + "m".repeat(200) + "/" + "n".repeat(200) + "/"
				+ "o".repeat(200);
		assertThat(StorageKeys.isValid(key)).isTrue();
		assertThatThrownBy(() -> this.storage.put(key, new byte[1], PutOptions.defaults()))
			.isInstanceOf(InvalidStorageKeyException.class)
			.hasMessageContaining("with the prefix '" + this.target.prefix() + "' of STORAGE_URL it exceeds S3's 1024 bytes");
	}

	@Test
	void aDownloadClosedBeforeItsEndAbortsTheConnectionInsteadOfReadingTheRest() throws Exception {
		this.storage.put("big.bin", random(2 * PART), PutOptions.defaults());
		assertThat(this.storage.open("big.bin")).isInstanceOf(S3Download.class);
		assertThat(this.storage.open("big.bin", 0, PART)).isInstanceOf(S3Download.class);
	}

	@Test
	void streamsOfUnknownLengthAroundOnePartAndTheFirstBuffersRoundTripWithTheirSha256() throws Exception {
		int small = 64 * 1024;
		int medium = 1024 * 1024;
		// Around the sizes the upload's first buffer grows through before it holds a part (S3Upload).
		for (int size : new int[] { 0, 1, small - 1, small, small + 1, medium - 1, medium, medium + 1, PART - 1, PART,
				PART + 1 }) {
			byte[] content = random(size);
			String key = "sizes/" + size + ".bin";
			StoredFile stored = this.storage.put(key, new UnknownLength(content), PutOptions.defaults());
			assertThat(stored.size()).isEqualTo(size);
			assertThat(stored.sha256()).isEqualTo(sha256(content));
			assertThat(read(this.storage.open(key))).isEqualTo(content);
			StoredFile stat = this.storage.stat(key);
			assertThat(stat.size()).isEqualTo(size);
			assertThat(stat.sha256()).isEqualTo(sha256(content));
			assertThat(stat.contentType()).isEqualTo("application/octet-stream");
		}
	}

	@Test
	void aStreamOfSeveralPartsIsStoredWholeWithItsSha256InTheMetadata() throws Exception {
		byte[] content = random(3 * PART + 12345);
		StoredFile stored = this.storage.put("big/video.mp4", new UnknownLength(content),
				PutOptions.defaults().withContentType("video/mp4").withMetadata("owner", "42"));
		assertThat(stored.size()).isEqualTo(content.length);
		assertThat(stored.sha256()).isEqualTo(sha256(content));
		assertThat(read(this.storage.open("big/video.mp4"))).isEqualTo(content);
		StoredFile stat = this.storage.stat("big/video.mp4");
		assertThat(stat.sha256()).isEqualTo(sha256(content));
		assertThat(stat.contentType()).isEqualTo("video/mp4");
		assertThat(stat.metadata()).containsExactly(java.util.Map.entry("owner", "42"));
		assertThat(openUploads()).isEmpty();
	}

	@Test
	void withTheMultipartSha256TurnedOffAFileOfSeveralPartsIsStoredWholeWithoutACopyOntoItself() throws Exception {
		S3StorageProperties properties = new S3StorageProperties();
		properties.setPartSize(DataSize.ofBytes(PART));
		properties.setStoreMultipartSha256(false);
		S3FileStorage storage = new S3FileStorage(this.client, this.presigner, this.target, properties);
		byte[] content = random(2 * PART + 7);
		StoredFile stored = storage.put("big/no-copy.bin", new UnknownLength(content), PutOptions.defaults());
		assertThat(stored.sha256()).isEqualTo(sha256(content));
		assertThat(read(storage.open("big/no-copy.bin"))).isEqualTo(content);
		// The completed upload's ETag ("…-3") is still the object's: a copy would have replaced it.
		assertThat(this.client.headObject((request) -> request.bucket(BUCKET).key(this.target.prefix() + "big/no-copy.bin")).eTag())
			.endsWith("-3\"");
		assertThat(storage.stat("big/no-copy.bin").sha256()).isNull();
		assertThat(openUploads()).isEmpty();
	}

	@Test
	void contentTypeAndMetadataAreStoredAndTheChecksumIsNotUserMetadata() {
		StoredFile stored = this.storage.put("avatars/42.png", "png".getBytes(),
				PutOptions.defaults().withContentType("image/png").withMetadata("owner", "42"));
		StoredFile stat = this.storage.stat("avatars/42.png");
		assertThat(stat.contentType()).isEqualTo("image/png");
		assertThat(stat.metadata()).containsExactly(java.util.Map.entry("owner", "42"));
		assertThat(stat.sha256()).isEqualTo(stored.sha256()).isEqualTo(sha256("png".getBytes()));
		assertThat(stat.key()).isEqualTo("avatars/42.png");
	}

	@Test
	void aSourceStreamFailingInTheFirstPartLeavesNothing() {
		assertThatThrownBy(() -> this.storage.put("failing/small", new Failing(PART / 2), PutOptions.defaults()))
			.isInstanceOf(StorageException.class)
			.hasMessageContaining("nothing was stored")
			.hasCauseInstanceOf(IOException.class);
		assertThat(this.storage.exists("failing/small")).isFalse();
	}

	@Test
	void aSourceStreamFailingAfterSomePartsLeavesNoObjectAndNoOpenUpload() {
		assertThatThrownBy(() -> this.storage.put("failing/big", new Failing(2 * PART + 100), PutOptions.defaults()))
			.isInstanceOf(StorageException.class)
			.hasCauseInstanceOf(IOException.class);
		assertThat(this.storage.exists("failing/big")).isFalse();
		assertThat(openUploads()).isEmpty();
	}

	@Test
	void aRuntimeExceptionOfTheSourceStreamIsRethrownAfterTheUploadIsAborted() {
		IllegalStateException failure = new IllegalStateException("the caller's stream broke");
		InputStream content = new UnknownLength(random(3 * PART)) {

			private int calls;

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				if (++this.calls > 3 && this.position() > PART) {
					throw failure;
				}
				return super.read(buffer, offset, length);
			}

		};
		assertThatThrownBy(() -> this.storage.put("failing/runtime", content, PutOptions.defaults()))
			.isSameAs(failure);
		assertThat(this.storage.exists("failing/runtime")).isFalse();
		assertThat(openUploads()).isEmpty();
	}

	@Test
	void anUploadWhoseThreadWasInterruptedIsStillAbortedAndTheInterruptIsKept() {
		InputStream content = new UnknownLength(random(3 * PART)) {

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				if (this.position() > PART) {
					// As a request thread's read ends when the server shuts down: the SDK refuses calls on such a thread.
					Thread.currentThread().interrupt();
					throw new InterruptedIOException("interrupted");
				}
				return super.read(buffer, offset, length);
			}

		};
		try {
			assertThatThrownBy(() -> this.storage.put("failing/interrupted", content, PutOptions.defaults()))
				.isInstanceOf(StorageException.class)
				.hasCauseInstanceOf(InterruptedIOException.class);
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
		assertThat(openUploads()).isEmpty();
		assertThat(this.storage.exists("failing/interrupted")).isFalse();
	}

	@Test
	void failIfExistsRefusesToReplaceAFile() {
		this.storage.put("unique/a", "first".getBytes(), PutOptions.defaults());
		assertThatThrownBy(() -> this.storage.put("unique/a", "second".getBytes(), PutOptions.defaults().withFailIfExists()))
			.isInstanceOf(StorageFileExistsException.class);
		assertThatThrownBy(() -> this.storage.put("unique/a", new UnknownLength(random(2 * PART)),
				PutOptions.defaults().withFailIfExists()))
			.isInstanceOf(StorageFileExistsException.class);
		assertThat(read(this.storage.open("unique/a"))).isEqualTo("first".getBytes());
		assertThat(openUploads()).isEmpty();
	}

	@Test
	void failIfExistsRacedByTwoWritersHasExactlyOneWinner() throws Exception {
		for (int size : new int[] { 100, PART + 100 }) {
			String key = "race/" + size;
			byte[] first = random(size);
			byte[] second = random(size);
			CountDownLatch start = new CountDownLatch(1);
			ExecutorService writers = Executors.newFixedThreadPool(2);
			try {
				Future<@Nullable StoredFile> one = writers.submit(racer(start, key, first));
				Future<@Nullable StoredFile> two = writers.submit(racer(start, key, second));
				start.countDown();
				StoredFile oneResult = one.get();
				StoredFile twoResult = two.get();
				assertThat(Stream.of(oneResult, twoResult).filter((result) -> result != null)).hasSize(1);
				byte[] winner = (oneResult != null) ? first : second;
				assertThat(read(this.storage.open(key))).isEqualTo(winner);
			}
			finally {
				writers.shutdownNow();
			}
		}
		assertThat(openUploads()).isEmpty();
	}

	@Test
	void failIfExistsLosesToAWriterThatFinishesWhileTheContentIsRead() {
		// The other writer stores the file while this one reads its content: after the multipart upload's early
		// check, so that only the conditional PutObject or CompleteMultipartUpload can refuse.
		for (int size : new int[] { 100, 2 * PART + 100 }) {
			String key = "overtaken/" + size;
			InputStream content = new UnknownLength(random(size)) {

				private boolean overtaken;

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					if (!this.overtaken && position() > size / 2) {
						this.overtaken = true;
						S3FileStorageIntegrationTests.this.storage.put(key, "other".getBytes(), PutOptions.defaults());
					}
					return super.read(buffer, offset, length);
				}

			};
			assertThatThrownBy(() -> this.storage.put(key, content, PutOptions.defaults().withFailIfExists()))
				.isInstanceOf(StorageFileExistsException.class);
			assertThat(read(this.storage.open(key))).isEqualTo("other".getBytes());
		}
		assertThat(openUploads()).isEmpty();
	}

	private Callable<@Nullable StoredFile> racer(CountDownLatch start, String key, byte[] content) {
		return () -> {
			start.await();
			try {
				return this.storage.put(key, new UnknownLength(content), PutOptions.defaults().withFailIfExists());
			}
			catch (StorageFileExistsException ex) {
				return null;
			}
		};
	}

	@Test
	void twoAndAHalfThousandKeysAreListedLazilyAndByPagesWithoutDuplicatesOrGaps() throws Exception {
		List<String> keys = IntStream.range(0, 2500).mapToObj((i) -> "many/" + String.format("%05d", i)).toList();
		ExecutorService writers = Executors.newFixedThreadPool(8);
		try {
			List<Future<StoredFile>> puts = new ArrayList<>();
			for (String key : keys) {
				puts.add(writers.submit(() -> this.storage.put(key, new byte[] { 1 }, PutOptions.defaults())));
			}
			for (Future<StoredFile> put : puts) {
				put.get();
			}
		}
		finally {
			writers.shutdownNow();
		}
		this.storage.put("other/file", new byte[] { 2 }, PutOptions.defaults());
		try (Stream<StoredFile> listed = this.storage.list("many/")) {
			assertThat(listed.map(StoredFile::key)).containsExactlyElementsOf(keys);
		}
		List<String> paged = new ArrayList<>();
		String startAfter = null;
		int pages = 0;
		do {
			FilePage page = this.storage.listPage("many/", startAfter, 1000);
			page.files().forEach((file) -> paged.add(file.key()));
			startAfter = page.nextStartAfter();
			pages++;
		}
		while (startAfter != null);
		assertThat(paged).containsExactlyElementsOf(keys);
		assertThat(pages).isEqualTo(3);
		this.storage.deleteAll(keys);
		try (Stream<StoredFile> listed = this.storage.list("")) {
			assertThat(listed.map(StoredFile::key)).containsExactly("other/file");
		}
	}

	@Test
	void deleteIsIdempotentAndMissingFilesAreNotFound() {
		this.storage.put("gone/file", "x".getBytes(), PutOptions.defaults());
		this.storage.delete("gone/file");
		this.storage.delete("gone/file");
		this.storage.deleteAll(List.of("gone/file", "gone/never"));
		assertThat(this.storage.exists("gone/file")).isFalse();
		assertThatThrownBy(() -> this.storage.stat("gone/file")).isInstanceOf(StorageFileNotFoundException.class);
		assertThatThrownBy(() -> this.storage.open("gone/file")).isInstanceOf(StorageFileNotFoundException.class);
		assertThatThrownBy(() -> this.storage.open("gone/file", 1, 2))
			.isInstanceOf(StorageFileNotFoundException.class);
		assertThatThrownBy(() -> this.storage.copy("gone/file", "gone/copy"))
			.isInstanceOf(StorageFileNotFoundException.class);
	}

	@Test
	void rangesReturnThePartOfTheFileThatExists() {
		this.storage.put("range/file", "0123456789".getBytes(), PutOptions.defaults());
		assertThat(read(this.storage.open("range/file", 2, 3))).isEqualTo("234".getBytes());
		assertThat(read(this.storage.open("range/file", 8, 100))).isEqualTo("89".getBytes());
		assertThat(read(this.storage.open("range/file", 10, 5))).isEmpty();
		assertThat(read(this.storage.open("range/file", 3, 0))).isEmpty();
	}

	@Test
	void copyKeepsContentTypeMetadataAndChecksum() {
		StoredFile source = this.storage.put("copy/source", "copied".getBytes(),
				PutOptions.defaults().withContentType("text/plain").withMetadata("owner", "7"));
		StoredFile copy = this.storage.copy("copy/source", "copy/target");
		assertThat(copy.key()).isEqualTo("copy/target");
		assertThat(read(this.storage.open("copy/target"))).isEqualTo("copied".getBytes());
		StoredFile stat = this.storage.stat("copy/target");
		assertThat(stat.contentType()).isEqualTo("text/plain");
		assertThat(stat.metadata()).containsExactly(java.util.Map.entry("owner", "7"));
		assertThat(stat.sha256()).isEqualTo(source.sha256());
	}

	@Test
	void invalidKeysAreRefusedBeforeAnyCall() {
		assertThatThrownBy(() -> this.storage.put("../escape", new byte[0], PutOptions.defaults()))
			.isInstanceOf(InvalidStorageKeyException.class);
		assertThatThrownBy(() -> this.storage.stat("a//b")).isInstanceOf(InvalidStorageKeyException.class);
	}

	@Test
	void aPresignedGetDownloadsTheFileWithAPlainHttpClient() throws Exception {
		this.storage.put("links/file.txt", "hello".getBytes(), PutOptions.defaults().withContentType("text/plain"));
		URI url = this.storage.presignGet("links/file.txt", Duration.ofMinutes(5));
		HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(url).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("hello".getBytes());
		assertThat(url.toString()).doesNotContain(s3proxy.secretKey());
	}

	@Test
	void aPresignedPutUploadsWithTheBoundContentTypeOnly() throws Exception {
		URI url = this.storage.presignPut("links/upload.png", Duration.ofMinutes(5), "image/png");
		HttpResponse<String> wrongType = http.send(HttpRequest.newBuilder(url)
			.header("Content-Type", "text/html")
			.PUT(HttpRequest.BodyPublishers.ofString("<script>"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(wrongType.statusCode()).isEqualTo(403);
		assertThat(this.storage.exists("links/upload.png")).isFalse();
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
			.header("Content-Type", "image/png")
			.PUT(HttpRequest.BodyPublishers.ofByteArray("png".getBytes()))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		StoredFile stat = this.storage.stat("links/upload.png");
		assertThat(stat.contentType()).isEqualTo("image/png");
		assertThat(read(this.storage.open("links/upload.png"))).isEqualTo("png".getBytes());
	}

	@Test
	void presignedUrlsStopWorkingWhenTheyExpire() throws Exception {
		this.storage.put("links/expiring", "x".getBytes(), PutOptions.defaults());
		URI get = this.storage.presignGet("links/expiring", Duration.ofSeconds(1));
		URI put = this.storage.presignPut("links/expiring-upload", Duration.ofSeconds(1), null);
		Thread.sleep(2500);
		assertThat(http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
			.isEqualTo(403);
		assertThat(http
			.send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode()).isEqualTo(403);
		assertThat(this.storage.exists("links/expiring-upload")).isFalse();
	}

	@Test
	void capabilitiesDescribeTheBucketWithoutCredentials() {
		StorageCapabilities capabilities = this.storage.capabilities();
		assertThat(capabilities.backend()).isEqualTo("s3");
		assertThat(capabilities.location()).isEqualTo("s3://" + BUCKET + "/" + this.target.prefix());
		assertThat(capabilities.presignedUrls()).isTrue();
		assertThat(capabilities.serverSideCopy()).isTrue();
	}

	@Test
	void theProbePassesWhenTheBucketAnswersAndFailsForAMissingBucket() {
		this.storage.probe();
		S3Target missing = new S3Target("attach-no-such-bucket", "", null, s3proxy.endpoint(), true,
				s3proxy.accessKey(), s3proxy.secretKey(), "STORAGE_URL");
		S3FileStorage storage = new S3FileStorage(this.client, this.presigner, missing, new S3StorageProperties());
		assertThatThrownBy(storage::probe).isInstanceOf(StorageException.class)
			.isNotInstanceOf(StorageUnavailableException.class)
			.hasMessageContaining("404")
			.hasMessageContaining("NoSuchBucket");
	}

	@Test
	void wrongCredentialsFailTheProbeWithoutShowingTheSecret() {
		S3Target wrong = new S3Target(BUCKET, "", null, s3proxy.endpoint(), true, s3proxy.accessKey(),
				"C4n4ry-wr0ng-s3cr3t", "STORAGE_URL");
		try (S3Client client = S3Clients.client(wrong, new S3StorageProperties())) {
			S3FileStorage storage = new S3FileStorage(client, this.presigner, wrong, new S3StorageProperties());
			assertThatThrownBy(storage::probe).isInstanceOf(StorageException.class)
				.hasMessageContaining("403")
				.hasMessageNotContaining("C4n4ry");
			assertThatThrownBy(() -> storage.put("x", new byte[1], PutOptions.defaults()))
				.isInstanceOf(StorageException.class)
				.hasMessageContaining("403")
				.hasMessageNotContaining("C4n4ry");
		}
	}

	private List<String> openUploads() {
		return this.client.listMultipartUploads((request) -> request.bucket(BUCKET).prefix(this.target.prefix()))
			.uploads()
			.stream()
			.map((upload) -> upload.key())
			.toList();
	}

	static byte[] random(int size) {
		byte[] content = new byte[size];
		new Random(size).nextBytes(content);
		return content;
	}

	static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] read(InputStream content) {
		try (content) {
			return content.readAllBytes();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Bytes behind a stream that does not tell its length, as a request body's.
	 */
	static class UnknownLength extends InputStream {

		private final ByteArrayInputStream content;

		private int position;

		UnknownLength(byte[] content) {
			this.content = new ByteArrayInputStream(content);
		}

		int position() {
			return this.position;
		}

		@Override
		public int read() throws IOException {
			int read = this.content.read();
			if (read != -1) {
				this.position++;
			}
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			// Small reads, as from a socket.
			int read = this.content.read(buffer, offset, Math.min(length, 64 * 1024));
			if (read > 0) {
				this.position += read;
			}
			return read;
		}

	}

	/**
	 * A stream that fails after some bytes, as a client's upload cut off.
	 */
	static final class Failing extends UnknownLength {

		private final int failAfter;

		Failing(int failAfter) {
			super(random(failAfter + 1024 * 1024));
			this.failAfter = failAfter;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (position() >= this.failAfter) {
				throw new IOException("Connection reset by the client");
			}
			return super.read(buffer, offset, Math.min(length, this.failAfter - position()));
		}

	}

}
