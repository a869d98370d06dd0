package io.attach.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.attach.test.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link FileStorageContractTests contract} against the S3 backend over the real S3 protocol: S3Proxy with its
 * file-system store, the client, presigner and storage built by {@link S3StorageConfiguration} from an
 * {@link S3Target} as {@code STORAGE_URL=s3://…?endpoint=…&path_style=true} resolves it, with the default settings
 * (8 MiB parts).
 *
 * @author attach
 */
class S3FileStorageContractIntegrationTests extends FileStorageContractTests {

	private static final String BUCKET = "attach-contract";

	// S3Proxy's file-system store writes an object to "<name>-<UUID>" beside it first, 37 bytes longer, and file
	// names end at 255 bytes.
	private static final int S3PROXY_LONGEST_LAST_SEGMENT = StorageKeys.MAX_SEGMENT_BYTES - 37;

	// Under a prefix of the target, so that every call also proves the prefix added and taken off again.
	private static final String TARGET_PREFIX = "app/";

	private static S3ProxyServer s3proxy;

	private static S3Client client;

	private static S3Presigner presigner;

	private static FileStorage storage;

	private static long partSize;

	@BeforeAll
	static void start() {
		s3proxy = S3ProxyServer.start(BUCKET);
		S3Target target = new S3Target(BUCKET, TARGET_PREFIX, null, s3proxy.endpoint(), true, s3proxy.accessKey(),
				s3proxy.secretKey(), "STORAGE_URL");
		AttachStorageProperties properties = new AttachStorageProperties();
		S3StorageConfiguration configuration = new S3StorageConfiguration();
		client = configuration.attachS3Client(target, properties);
		presigner = configuration.attachS3Presigner(target);
		storage = configuration.s3StorageBackend(target, properties, client, presigner).files();
		partSize = properties.getS3().getPartSize().toBytes();
	}

	@AfterAll
	static void stop() {
		if (client != null) {
			client.close();
		}
		if (presigner != null) {
			presigner.close();
		}
		if (s3proxy != null) {
			s3proxy.close();
		}
	}

	@Override
	protected FileStorage storage() {
		return storage;
	}

	@Override
	protected long partSize() {
		// The default, what an application gets: the heap bound must hold with it.
		assertThat(partSize).isEqualTo(8L * 1024 * 1024);
		return partSize;
	}

	/**
	 * S3Proxy's order, not S3's: see {@link #s3ProxyListsInUtf16OrderWhereS3ListsInUtf8ByteOrder()}.
	 */
	@Override
	protected Comparator<String> listingOrder() {
		return Comparator.naturalOrder();
	}

	/**
	 * S3Proxy's limit, not S3's: see {@link #s3ProxyFailsALastSegmentTooLongForItsTemporaryFile()}.
	 */
	@Override
	protected int longestLastSegment() {
		return S3PROXY_LONGEST_LAST_SEGMENT;
	}

	/**
	 * No open multipart upload, nothing outside the target's prefix, and on S3Proxy's disk no file that is not an
	 * object the bucket lists: parts of an aborted upload, or an object written halfway.
	 */
	@Override
	protected void assertNoLeftovers() throws IOException {
		List<MultipartUpload> uploads = client.listMultipartUploads((request) -> request.bucket(BUCKET)).uploads();
		assertThat(uploads).extracting(MultipartUpload::key).isEmpty();
		Set<String> listed = client.listObjectsV2Paginator((request) -> request.bucket(BUCKET))
			.contents()
			.stream()
			.map(S3Object::key)
			.collect(Collectors.toSet());
		assertThat(listed).allSatisfy((key) -> assertThat(key).startsWith(TARGET_PREFIX));
		Path bucket = s3proxy.dataDirectory().resolve(BUCKET);
		try (Stream<Path> files = Files.walk(bucket)) {
			Set<String> stored = files.filter(Files::isRegularFile)
				.map((file) -> bucket.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/"))
				.collect(Collectors.toSet());
			assertThat(stored).isEqualTo(listed);
		}
	}

	/**
	 * S3 lists keys in UTF-8 byte order (its documentation of ListObjectsV2), and so does the S3 backend, which only
	 * passes pages through; S3Proxy 4.1's file-system store sorts Java strings, UTF-16 code units, which differs for
	 * characters beyond U+FFFF against those from U+E000. The contract's listing tests take S3Proxy's order for that
	 * reason alone; when this test fails, S3Proxy is fixed: remove {@link #listingOrder()}.
	 */
	@Test
	void s3ProxyListsInUtf16OrderWhereS3ListsInUtf8ByteOrder() {
		String fullwidth = key("\uFF21");
		String emoji = key("\uD83D\uDE00");
		storage.put(fullwidth, bytes(1), PutOptions.defaults());
		storage.put(emoji, bytes(1), PutOptions.defaults());
		assertThat(compareUtf8(fullwidth, emoji)).isNegative();
		try (Stream<StoredFile> listed = storage.list(key(""))) {
			assertThat(listed.map(StoredFile::key)).containsExactly(emoji, fullwidth);
		}
	}

	/**
	 * S3 takes keys of up to 1,024 bytes whatever their segments, and the grammar segments of up to 255 bytes; S3Proxy's
	 * file-system store fails (500) a last segment longer than 218 bytes, as its temporary file's name is too long.
	 * The contract stores its longest last segment within that for this reason alone, and a 255-byte segment before
	 * the last; when this test fails, S3Proxy is fixed: remove {@link #longestLastSegment()}.
	 */
	@Test
	void s3ProxyFailsALastSegmentTooLongForItsTemporaryFile() {
		String longest = key("x".repeat(S3PROXY_LONGEST_LAST_SEGMENT));
		storage.put(longest, bytes(1), PutOptions.defaults());
		assertThat(storage.exists(longest)).isTrue();
		String tooLong = key("x".repeat(S3PROXY_LONGEST_LAST_SEGMENT + 1));
		assertThat(StorageKeys.isValid(tooLong)).isTrue();
		assertThatExceptionOfType(StorageUnavailableException.class)
			.isThrownBy(() -> storage.put(tooLong, bytes(1), PutOptions.defaults()))
			.withMessageContaining("500");
		assertThat(storage.exists(tooLong)).isFalse();
	}

}
