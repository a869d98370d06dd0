package io.attach.storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The contract every {@link FileStorage} backend passes, run against each over its real protocol: a subclass per
 * backend states how to reach it ({@link #storage()}), its part size and how to prove a failed write left nothing
 * behind. Every test works under a prefix of its own, so one store can serve the whole class.
 * <p>
 * Run in a JVM whose heap is smaller than the largest file streamed here (the build's {@code file-storage-contract}
 * executions, which select the tag): a backend that buffered a whole file fails with {@link OutOfMemoryError}.
 *
 * @author attach
 */
@Tag("file-storage-contract")
abstract class FileStorageContractTests {

	static final long HUNDRED_MEGABYTES = 100L * 1024 * 1024;

	private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);

	private final String prefix = "contract-" + UUID.randomUUID() + "/";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

	/**
	 * The storage under test, the same for every test of a class or new for each.
	 * @return the storage
	 */
	protected abstract FileStorage storage();

	/**
	 * The size at which the backend changes how it writes: S3's part size, the local backend's copy buffer. Files of
	 * this size, one byte less and one byte more are round-tripped.
	 * @return the size in bytes
	 */
	protected abstract long partSize();

	/**
	 * Asserts that no write left anything behind: no temporary file, no open multipart upload. Called after every
	 * test, so a test that fails a write on purpose proves it.
	 * @throws Exception if the store cannot be asked
	 */
	protected abstract void assertNoLeftovers() throws Exception;

	/**
	 * Turns a presigned URL into one a plain HTTP client can call: the local backend's are relative when made outside
	 * a request and no base URL is configured.
	 * @param presigned the URL the storage made
	 * @return an absolute URL
	 */
	protected URI reachable(URI presigned) {
		return presigned;
	}

	/**
	 * The order listings come in: UTF-8 byte order, S3's documented order, which every backend keeps. A subclass
	 * overrides it only for a test server proven to deviate, and proves the deviation in a test of its own, so that
	 * the override goes when the server is fixed.
	 * @return the order of keys in a listing
	 */
	protected Comparator<String> listingOrder() {
		return FileStorageContractTests::compareUtf8;
	}

	/**
	 * The longest last segment of a key the store under test takes, in UTF-8 bytes: the grammar's limit unless a test
	 * server has a lower one, which the subclass proves in a test of its own.
	 * @return the length in bytes
	 */
	protected int longestLastSegment() {
		return StorageKeys.MAX_SEGMENT_BYTES;
	}

	@AfterEach
	void noLeftovers() throws Exception {
		assertNoLeftovers();
	}

	// Round trips

	@Test
	void anEmptyFileRoundTrips() {
		roundTrip(0);
	}

	@Test
	void aFileOfOneByteRoundTrips() {
		roundTrip(1);
	}

	@Test
	void aFileOfOneByteLessThanThePartSizeRoundTrips() {
		roundTrip(partSize() - 1);
	}

	@Test
	void aFileOfThePartSizeRoundTrips() {
		roundTrip(partSize());
	}

	@Test
	void aFileOfOneByteMoreThanThePartSizeRoundTrips() {
		roundTrip(partSize() + 1);
	}

	@Test
	void aHundredMegabytesOfUnknownLengthRoundTripInABoundedHeap() {
		// Proof that the test runs where buffering the file would fail; without it, it proves nothing.
		assertThat(Runtime.getRuntime().maxMemory()).isLessThan(HUNDRED_MEGABYTES);
		roundTrip(HUNDRED_MEGABYTES);
	}

	private void roundTrip(long size) {
		String key = key("size-" + size);
		GeneratedStream content = new GeneratedStream(size, size);
		StoredFile stored = storage().put(key, content, PutOptions.defaults());
		String sha256 = content.sha256();
		assertThat(stored.key()).isEqualTo(key);
		assertThat(stored.size()).isEqualTo(size);
		assertThat(stored.sha256()).isEqualTo(sha256);
		StoredFile stat = storage().stat(key);
		assertThat(stat.size()).isEqualTo(size);
		assertThat(stat.sha256()).isEqualTo(sha256);
		assertThat(sha256(storage().open(key))).isEqualTo(sha256);
	}

	@Test
	void bytesAndFilesAreStoredAsStreamsAre(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
			throws IOException {
		byte[] bytes = "from bytes".getBytes(StandardCharsets.UTF_8);
		storage().put(key("bytes"), bytes, PutOptions.defaults());
		assertThat(read(key("bytes"))).isEqualTo(bytes);
		java.nio.file.Path file = directory.resolve("source.txt");
		java.nio.file.Files.writeString(file, "from a file");
		storage().put(key("file"), file, PutOptions.defaults().withContentType("text/plain"));
		assertThat(read(key("file"))).isEqualTo("from a file".getBytes(StandardCharsets.UTF_8));
		assertThat(storage().stat(key("file")).contentType()).isEqualTo("text/plain");
	}

	// Content type and metadata

	@Test
	void contentTypeAndMetadataAreKeptWithTheFile() {
		PutOptions options = PutOptions.defaults()
			.withContentType("image/png")
			.withMetadata("owner", "user-42")
			.withMetadata("x-origin", "upload form; v=2");
		StoredFile stored = storage().put(key("avatar.png"), bytes(10), options);
		assertThat(stored.contentType()).isEqualTo("image/png");
		assertThat(stored.metadata()).isEqualTo(Map.of("owner", "user-42", "x-origin", "upload form; v=2"));
		StoredFile stat = storage().stat(key("avatar.png"));
		assertThat(stat.contentType()).isEqualTo("image/png");
		assertThat(stat.metadata()).isEqualTo(Map.of("owner", "user-42", "x-origin", "upload form; v=2"));
	}

	@Test
	void aFileWithoutContentTypeIsAnOctetStream() {
		storage().put(key("plain"), bytes(3), PutOptions.defaults());
		assertThat(storage().stat(key("plain")).contentType()).isEqualTo("application/octet-stream");
		assertThat(storage().stat(key("plain")).metadata()).isEmpty();
	}

	@Test
	void replacingAFileReplacesItsContentTypeAndMetadata() {
		storage().put(key("f"), bytes(3), PutOptions.defaults().withContentType("text/plain").withMetadata("a", "1"));
		storage().put(key("f"), bytes(5), PutOptions.defaults());
		StoredFile stat = storage().stat(key("f"));
		assertThat(stat.size()).isEqualTo(5);
		assertThat(stat.contentType()).isEqualTo("application/octet-stream");
		assertThat(stat.metadata()).isEmpty();
	}

	@Test
	void metadataOutsideTheRulesIsRefusedBeforeAnythingIsStored() {
		for (PutOptions options : List.of(PutOptions.defaults().withMetadata("Owner", "x"),
				PutOptions.defaults().withMetadata("owner", "café"),
				PutOptions.defaults().withMetadata("owner", "line\nbreak"),
				PutOptions.defaults().withMetadata("big", "x".repeat(StorageKeys.MAX_METADATA_BYTES)),
				PutOptions.defaults().withMetadata("attach-sha256", "0".repeat(64)),
				PutOptions.defaults().withContentType("text/plain\r\nX-Injected: 1"))) {
			assertThatIllegalArgumentException().isThrownBy(() -> storage().put(key("meta"), bytes(1), options));
		}
		assertThat(storage().exists(key("meta"))).isFalse();
	}

	// Whole or absent

	@Test
	void aSourceStreamThatFailsMidwayLeavesNothing() {
		IOException failure = new IOException("the client went away");
		Throwable thrown = catchThrowable(
				() -> storage().put(key("broken"), new FailingStream(partSize() * 2 + partSize() / 2, failure),
						PutOptions.defaults()));
		assertThat(thrown).isInstanceOf(StorageException.class).isNotInstanceOf(StorageUnavailableException.class);
		assertThat(causes(thrown)).contains(failure);
		assertThat(storage().exists(key("broken"))).isFalse();
	}

	@Test
	void aSourceStreamThatThrowsAnUncheckedExceptionLeavesNothing() {
		IllegalStateException failure = new IllegalStateException("the caller's bug");
		Throwable thrown = catchThrowable(() -> storage().put(key("broken"),
				new FailingStream(partSize() + 1, failure), PutOptions.defaults()));
		assertThat(causes(thrown)).contains(failure);
		assertThat(storage().exists(key("broken"))).isFalse();
	}

	@Test
	void aFailedReplacementKeepsThePreviousFile() {
		storage().put(key("kept"), "previous".getBytes(StandardCharsets.UTF_8),
				PutOptions.defaults().withContentType("text/plain"));
		assertThatThrownBy(() -> storage().put(key("kept"),
				new FailingStream(partSize() * 2, new IOException("gone")), PutOptions.defaults()))
			.isInstanceOf(StorageException.class);
		assertThat(read(key("kept"))).isEqualTo("previous".getBytes(StandardCharsets.UTF_8));
		assertThat(storage().stat(key("kept")).contentType()).isEqualTo("text/plain");
	}

	@Test
	void failIfExistsRefusesAnExistingFileAndKeepsIt() {
		storage().put(key("once"), "first".getBytes(StandardCharsets.UTF_8), PutOptions.defaults());
		assertThatExceptionOfType(StorageFileExistsException.class).isThrownBy(() -> storage().put(key("once"),
				"second".getBytes(StandardCharsets.UTF_8), PutOptions.defaults().withFailIfExists()));
		assertThat(read(key("once"))).isEqualTo("first".getBytes(StandardCharsets.UTF_8));
		storage().put(key("fresh"), bytes(1), PutOptions.defaults().withFailIfExists());
		assertThat(storage().exists(key("fresh"))).isTrue();
	}

	@Test
	void failIfExistsRacedByTwoWritersHasExactlyOneWinner() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 10; round++) {
				String key = key("race-" + round);
				// Both writers hold their stream open until the other has started: they truly overlap.
				CyclicBarrier started = new CyclicBarrier(2);
				List<Future<@Nullable StorageException>> writers = new ArrayList<>();
				for (byte writer = 1; writer <= 2; writer++) {
					byte[] content = new byte[(int) partSize() + 1];
					Arrays.fill(content, writer);
					writers.add(executor.submit(() -> {
						try {
							storage().put(key, new BarrierStream(content, started), PutOptions.defaults().withFailIfExists());
							return null;
						}
						catch (StorageException ex) {
							return ex;
						}
					}));
				}
				List<@Nullable StorageException> outcomes = new ArrayList<>();
				for (Future<@Nullable StorageException> writer : writers) {
					outcomes.add(writer.get(2, TimeUnit.MINUTES));
				}
				assertThat(outcomes).filteredOn((outcome) -> outcome == null).hasSize(1);
				assertThat(outcomes).filteredOn((outcome) -> outcome != null)
					.singleElement()
					.isInstanceOf(StorageFileExistsException.class);
				byte winner = (outcomes.get(0) == null) ? (byte) 1 : (byte) 2;
				byte[] stored = read(key);
				assertThat(stored).hasSize((int) partSize() + 1);
				assertThat(IntStream.range(0, stored.length).allMatch((i) -> stored[i] == winner)).isTrue();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	// Reading

	@Test
	void statOpenAndRangesOfAMissingFileAreNotFound() {
		assertThat(storage().exists(key("missing"))).isFalse();
		assertThatExceptionOfType(StorageFileNotFoundException.class).isThrownBy(() -> storage().stat(key("missing")));
		assertThatExceptionOfType(StorageFileNotFoundException.class).isThrownBy(() -> storage().open(key("missing")));
		assertThatExceptionOfType(StorageFileNotFoundException.class)
			.isThrownBy(() -> storage().open(key("missing"), 0, 1));
		assertThatExceptionOfType(StorageFileNotFoundException.class)
			.isThrownBy(() -> storage().open(key("missing"), 0, 0));
		assertThatExceptionOfType(StorageFileNotFoundException.class)
			.isThrownBy(() -> storage().open(key("missing"), 10, 1));
	}

	@Test
	void rangesReadThePartsOfAFileAskedFor() throws IOException {
		byte[] content = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
		storage().put(key("ranges"), content, PutOptions.defaults());
		assertThat(range("ranges", 0, 5)).isEqualTo("01234");
		assertThat(range("ranges", 10, 3)).isEqualTo("abc");
		assertThat(range("ranges", 15, 100)).isEqualTo("fghij");
		assertThat(range("ranges", 19, 1)).isEqualTo("j");
		assertThat(range("ranges", 0, content.length)).isEqualTo(new String(content, StandardCharsets.US_ASCII));
		assertThat(range("ranges", 5, 0)).isEmpty();
		assertThat(range("ranges", 20, 5)).isEmpty();
		assertThat(range("ranges", 25, 5)).isEmpty();
		// S3 answers 416 to every range of an empty file: still an empty stream.
		storage().put(key("empty"), new byte[0], PutOptions.defaults());
		assertThat(range("empty", 0, 5)).isEmpty();
		assertThat(range("empty", 0, 0)).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> storage().open(key("ranges"), -1, 5));
		assertThatIllegalArgumentException().isThrownBy(() -> storage().open(key("ranges"), 0, -1));
	}

	@Test
	void aRangeBeyondThePartSizeReadsAcrossParts() {
		long size = partSize() * 2 + 17;
		storage().put(key("large"), new GeneratedStream(size, 7), PutOptions.defaults());
		long offset = partSize() - 5;
		try (InputStream part = storage().open(key("large"), offset, partSize() + 10)) {
			byte[] expected = new GeneratedStream(size, 7).readNBytesFrom(offset, (int) partSize() + 10);
			assertThat(part.readAllBytes()).isEqualTo(expected);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	// Listing

	@Test
	void twoThousandFiveHundredFilesAreListedLazilyAndByPagesInUtf8ByteOrder() throws Exception {
		List<String> keys = IntStream.range(0, 2500).mapToObj(this::listedKey).toList();
		putAll(keys);
		List<String> expected = keys.stream().sorted(listingOrder()).toList();
		try (Stream<StoredFile> listed = storage().list(this.prefix)) {
			assertThat(listed.map(StoredFile::key).toList()).containsExactlyElementsOf(expected);
		}
		List<String> paged = new ArrayList<>();
		List<Integer> pageSizes = new ArrayList<>();
		String startAfter = null;
		do {
			FilePage page = storage().listPage(this.prefix, startAfter, 1000);
			page.files().forEach((file) -> paged.add(file.key()));
			pageSizes.add(page.files().size());
			startAfter = page.nextStartAfter();
		}
		while (startAfter != null);
		assertThat(paged).containsExactlyElementsOf(expected);
		assertThat(pageSizes).containsExactly(1000, 1000, 500);
		try (Stream<StoredFile> listed = storage().list(this.prefix)) {
			assertThat(listed.limit(3).map(StoredFile::key)).containsExactlyElementsOf(expected.subList(0, 3));
		}
	}

	private String listedKey(int i) {
		String n = String.format("%04d", i);
		return this.prefix + switch (i % 10) {
			case 0 -> "a-b" + n;
			case 1 -> "a/" + n;
			case 2 -> "a." + n;
			case 3 -> "a0" + n;
			case 4 -> "é/" + n;
			case 5 -> "日本/" + n + ".txt";
			case 6 -> "\uD83D\uDE00" + n;
			case 7 -> "\uFF21" + n;
			case 8 -> "Z/" + (i % 7) + "/" + n;
			default -> "b " + n;
		};
	}

	@Test
	void listingsFilterByAPrefixThatEndsInsideASegment() {
		putAll(List.of(key("a-b"), key("a/x"), key("a.c"), key("ab/y"), key("b"), key("a0")));
		try (Stream<StoredFile> listed = storage().list(key("a"))) {
			assertThat(listed.map(StoredFile::key)).containsExactly(key("a-b"), key("a.c"), key("a/x"), key("a0"),
					key("ab/y"));
		}
		try (Stream<StoredFile> listed = storage().list(key("a/"))) {
			assertThat(listed.map(StoredFile::key)).containsExactly(key("a/x"));
		}
		try (Stream<StoredFile> listed = storage().list(key("nothing-here/"))) {
			assertThat(listed).isEmpty();
		}
	}

	@Test
	void smallPagesNeitherRepeatNorSkipAFile() {
		List<String> keys = List.of(key("p/1"), key("p/2/a"), key("p/2/b"), key("p/3"), key("p-4"), key("p.5"),
				key("q"));
		putAll(keys);
		List<String> paged = new ArrayList<>();
		String startAfter = null;
		do {
			FilePage page = storage().listPage(this.prefix, startAfter, 2);
			assertThat(page.files()).hasSizeLessThanOrEqualTo(2);
			page.files().forEach((file) -> paged.add(file.key()));
			startAfter = page.nextStartAfter();
		}
		while (startAfter != null);
		assertThat(paged).containsExactlyElementsOf(keys.stream().sorted(listingOrder()).toList());
		assertThat(storage().listPage(this.prefix, key("p/2/a"), 1).files()).extracting(StoredFile::key)
			.containsExactly(key("p/2/b"));
	}

	@Test
	void listedFilesCarryTheirSize() {
		storage().put(key("sized"), bytes(123), PutOptions.defaults());
		assertThat(storage().listPage(this.prefix, null, 10).files()).singleElement()
			.satisfies((file) -> assertThat(file.size()).isEqualTo(123));
	}

	@Test
	void pagesHoldOneToAThousandFiles() {
		assertThatIllegalArgumentException().isThrownBy(() -> storage().listPage(this.prefix, null, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> storage().listPage(this.prefix, null, 1001));
	}

	// Deleting and copying

	@Test
	void deleteIsIdempotent() {
		storage().put(key("gone"), bytes(4), PutOptions.defaults());
		storage().delete(key("gone"));
		assertThat(storage().exists(key("gone"))).isFalse();
		storage().delete(key("gone"));
		storage().delete(key("never-there"));
		assertThat(storage().exists(key("gone"))).isFalse();
	}

	@Test
	void deleteAllRemovesManyFilesAndIgnoresMissingOnes() {
		List<String> keys = IntStream.range(0, 1001).mapToObj((i) -> key("many/" + i)).toList();
		putAll(keys);
		storage().put(key("kept"), bytes(1), PutOptions.defaults());
		List<String> doomed = new ArrayList<>(keys);
		doomed.add(key("many/missing"));
		storage().deleteAll(doomed);
		try (Stream<StoredFile> listed = storage().list(this.prefix)) {
			assertThat(listed.map(StoredFile::key)).containsExactly(key("kept"));
		}
		storage().deleteAll(List.of());
	}

	@Test
	void aCopyHasTheContentContentTypeAndMetadataOfItsSource() {
		PutOptions options = PutOptions.defaults().withContentType("text/csv").withMetadata("rows", "3");
		StoredFile source = storage().put(key("source.csv"), "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), options);
		storage().put(key("copy.csv"), bytes(50), PutOptions.defaults());
		StoredFile copy = storage().copy(key("source.csv"), key("copy.csv"));
		assertThat(copy.key()).isEqualTo(key("copy.csv"));
		assertThat(copy.size()).isEqualTo(source.size());
		StoredFile stat = storage().stat(key("copy.csv"));
		assertThat(stat.contentType()).isEqualTo("text/csv");
		assertThat(stat.metadata()).isEqualTo(Map.of("rows", "3"));
		assertThat(read(key("copy.csv"))).isEqualTo("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
		assertThat(storage().exists(key("source.csv"))).isTrue();
	}

	@Test
	void copyingAMissingFileIsNotFound() {
		assertThatExceptionOfType(StorageFileNotFoundException.class)
			.isThrownBy(() -> storage().copy(key("missing"), key("target")));
		assertThat(storage().exists(key("target"))).isFalse();
	}

	// Presigned URLs

	@Test
	void aPresignedGetDownloadsWithAPlainHttpClient() throws Exception {
		byte[] content = "presigned download".getBytes(StandardCharsets.UTF_8);
		storage().put(key("dir/ü b.txt"), content, PutOptions.defaults().withContentType("text/plain"));
		HttpResponse<byte[]> response = send(
				HttpRequest.newBuilder(reachable(storage().presignGet(key("dir/ü b.txt"), Duration.ofMinutes(5)))).GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo(content);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
	}

	@Test
	void aPresignedPutUploadsWithAPlainHttpClient() throws Exception {
		URI url = reachable(storage().presignPut(key("up/load.txt"), Duration.ofMinutes(5), "text/plain"));
		HttpResponse<byte[]> response = send(HttpRequest.newBuilder(url)
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString("uploaded")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(read(key("up/load.txt"))).isEqualTo("uploaded".getBytes(StandardCharsets.UTF_8));
		assertThat(storage().stat(key("up/load.txt")).contentType()).isEqualTo("text/plain");
	}

	@Test
	void aPresignedPutWithAnotherContentTypeIsRefused() throws Exception {
		URI url = reachable(storage().presignPut(key("typed"), Duration.ofMinutes(5), "image/png"));
		HttpResponse<byte[]> response = send(HttpRequest.newBuilder(url)
			.header("Content-Type", "text/html")
			.PUT(HttpRequest.BodyPublishers.ofString("<script>")));
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(storage().exists(key("typed"))).isFalse();
	}

	@Test
	void aPresignedUrlWorksForItsKeyAndMethodOnly() throws Exception {
		storage().put(key("mine"), bytes(3), PutOptions.defaults());
		storage().put(key("other"), bytes(3), PutOptions.defaults());
		URI get = reachable(storage().presignGet(key("mine"), Duration.ofMinutes(5)));
		URI elsewhere = URI.create(get.toString().replace("/mine?", "/other?"));
		assertThat(send(HttpRequest.newBuilder(elsewhere).GET()).statusCode()).isEqualTo(403);
		assertThat(send(HttpRequest.newBuilder(get).PUT(HttpRequest.BodyPublishers.ofString("x"))).statusCode())
			.isEqualTo(403);
		assertThat(read(key("mine"))).isEqualTo(bytes(3));
	}

	@Test
	void aPresignedGetOfAMissingFileIsNotFound() throws Exception {
		URI url = reachable(storage().presignGet(key("absent"), Duration.ofMinutes(5)));
		assertThat(send(HttpRequest.newBuilder(url).GET()).statusCode()).isEqualTo(404);
	}

	@Test
	void presignedUrlsStopWorkingWhenTheyExpire() throws Exception {
		storage().put(key("brief"), bytes(3), PutOptions.defaults());
		URI get = reachable(storage().presignGet(key("brief"), Duration.ofSeconds(1)));
		URI put = reachable(storage().presignPut(key("brief-upload"), Duration.ofSeconds(1), null));
		// Expiries are whole seconds: past the next full second, both are expired.
		Thread.sleep(2500);
		assertThat(send(HttpRequest.newBuilder(get).GET()).statusCode()).isEqualTo(403);
		assertThat(send(HttpRequest.newBuilder(put).PUT(HttpRequest.BodyPublishers.ofString("late"))).statusCode())
			.isEqualTo(403);
		assertThat(storage().exists(key("brief-upload"))).isFalse();
	}

	@Test
	void presignedUrlsLastOneSecondToSevenDays() {
		assertThatIllegalArgumentException().isThrownBy(() -> storage().presignGet(key("f"), Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> storage().presignGet(key("f"), Duration.ofMillis(999)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> storage().presignPut(key("f"), Duration.ofMinutes(1), "text/plain\r\nX-Injected: 1"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> storage().presignPut(key("f"), Duration.ofDays(7).plusSeconds(1), null));
		assertThat(storage().presignGet(key("f"), Duration.ofDays(7))).isNotNull();
	}

	// The key grammar

	@Test
	void keysOutsideTheGrammarAreRefusedByEveryCall() {
		List<String> invalid = List.of("", "/a", "a/", "a//b", "./a", "a/./b", "a/../b", "..", "a\\b", "a\u0000b",
				"a\nb", "a\u007fb", ".attach/x", ".ATTACH/x", "a/" + "x".repeat(256), "é".repeat(513), "a\uD800b");
		for (String key : invalid) {
			List<Consumer<String>> calls = List.of((k) -> storage().put(k, bytes(1), PutOptions.defaults()),
					(k) -> storage().put(k, new GeneratedStream(1, 1), PutOptions.defaults()), (k) -> storage().stat(k),
					(k) -> storage().exists(k), (k) -> storage().open(k), (k) -> storage().open(k, 0, 1),
					(k) -> storage().delete(k), (k) -> storage().deleteAll(List.of(k)),
					(k) -> storage().copy(k, "valid"), (k) -> storage().copy("valid", k),
					(k) -> storage().presignGet(k, Duration.ofMinutes(1)),
					(k) -> storage().presignPut(k, Duration.ofMinutes(1), null));
			for (Consumer<String> call : calls) {
				assertThatExceptionOfType(InvalidStorageKeyException.class).as("key %s", key)
					.isThrownBy(() -> call.accept(key));
			}
		}
		for (String prefix : List.of("/a", "a//", "../", ".attach/", "a\\b")) {
			assertThatExceptionOfType(InvalidStorageKeyException.class)
				.isThrownBy(() -> storage().list(prefix).close());
			assertThatExceptionOfType(InvalidStorageKeyException.class)
				.isThrownBy(() -> storage().listPage(prefix, null, 10));
		}
	}

	@Test
	void unusualKeysInsideTheGrammarRoundTrip() {
		List<String> keys = List.of(key("with space"), key("ü/日本.txt"), key(".attachment"), key("x/.attach"),
				key("..a"), key("a.."), key("...")/* three dots is a name */, key("100%25 sure"), key("q?a=1&b#c"),
				key("plus+sign"), key("y".repeat(StorageKeys.MAX_SEGMENT_BYTES) + "/z"), key("x".repeat(longestLastSegment())));
		for (String key : keys) {
			storage().put(key, key.getBytes(StandardCharsets.UTF_8), PutOptions.defaults());
			assertThat(read(key)).as(key).isEqualTo(key.getBytes(StandardCharsets.UTF_8));
		}
		try (Stream<StoredFile> listed = storage().list(this.prefix)) {
			assertThat(listed.map(StoredFile::key).collect(Collectors.toSet())).isEqualTo(new HashSet<>(keys));
		}
	}

	@Test
	void capabilitiesNameTheBackendAndWhereFilesGo() {
		StorageCapabilities capabilities = storage().capabilities();
		assertThat(capabilities.backend()).isIn("local", "s3");
		assertThat(capabilities.location()).isNotBlank();
		assertThat(capabilities.presignedUrls()).isTrue();
		assertThat(capabilities.maxFileSize()).isGreaterThanOrEqualTo(HUNDRED_MEGABYTES);
	}

	// Helpers

	protected final String key(String name) {
		return this.prefix + name;
	}

	private void putAll(Collection<String> keys) {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<StoredFile>> puts = keys.stream()
				.map((key) -> executor.submit(() -> storage().put(key, bytes(1), PutOptions.defaults())))
				.toList();
			for (Future<StoredFile> put : puts) {
				put.get(2, TimeUnit.MINUTES);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			executor.shutdownNow();
		}
	}

	private byte[] read(String key) {
		try (InputStream in = storage().open(key)) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String range(String name, long offset, long length) throws IOException {
		try (InputStream in = storage().open(key(name), offset, length)) {
			return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
		}
	}

	private HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	static byte[] bytes(int size) {
		byte[] bytes = new byte[size];
		for (int i = 0; i < size; i++) {
			bytes[i] = (byte) (i * 31 + 7);
		}
		return bytes;
	}

	static int compareUtf8(String left, String right) {
		return Arrays.compareUnsigned(left.getBytes(StandardCharsets.UTF_8), right.getBytes(StandardCharsets.UTF_8));
	}

	private static List<Throwable> causes(Throwable thrown) {
		List<Throwable> causes = new ArrayList<>();
		Set<Throwable> seen = new HashSet<>();
		for (Throwable current = thrown; current != null && seen.add(current); current = current.getCause()) {
			causes.add(current);
		}
		return causes;
	}

	static String sha256(InputStream in) {
		try (in) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			byte[] buffer = new byte[64 * 1024];
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				digest.update(buffer, 0, read);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A stream of pseudo-random bytes of a length no caller is told, generated as it is read: it never exists whole.
	 */
	static final class GeneratedStream extends InputStream {

		private final long size;

		private final SplittableRandom random;

		private final MessageDigest digest;

		private long position;

		GeneratedStream(long size, long seed) {
			this.size = size;
			this.random = new SplittableRandom(seed);
			try {
				this.digest = MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.size) {
				return -1;
			}
			int count = (int) Math.min(length, this.size - this.position);
			for (int i = 0; i < count; i++) {
				buffer[offset + i] = (byte) this.random.nextInt(256);
			}
			this.digest.update(buffer, offset, count);
			this.position += count;
			return count;
		}

		String sha256() {
			return HexFormat.of().formatHex(this.digest.digest());
		}

		byte[] readNBytesFrom(long offset, int length) throws IOException {
			skipNBytes(offset);
			return readNBytes(length);
		}

	}

	/**
	 * A stream that fails after some bytes, as a client that goes away does.
	 */
	static final class FailingStream extends InputStream {

		private final long failAt;

		private final Exception failure;

		private long position;

		FailingStream(long failAt, Exception failure) {
			this.failAt = failAt;
			this.failure = failure;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (this.position >= this.failAt) {
				if (this.failure instanceof IOException io) {
					throw io;
				}
				throw (RuntimeException) this.failure;
			}
			int count = (int) Math.min(length, this.failAt - this.position);
			Arrays.fill(buffer, offset, offset + count, (byte) 'x');
			this.position += count;
			return count;
		}

	}

	/**
	 * A stream that waits, at its first read, until another writer's stream has started too.
	 */
	static final class BarrierStream extends InputStream {

		private final InputStream content;

		private final CyclicBarrier started;

		private boolean waited;

		BarrierStream(byte[] content, CyclicBarrier started) {
			this.content = new java.io.ByteArrayInputStream(content);
			this.started = started;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			if (!this.waited) {
				this.waited = true;
				try {
					this.started.await(1, TimeUnit.MINUTES);
				}
				catch (Exception ex) {
					throw new IOException("The other writer never started", ex);
				}
			}
			return this.content.read(buffer, offset, length);
		}

	}

}
