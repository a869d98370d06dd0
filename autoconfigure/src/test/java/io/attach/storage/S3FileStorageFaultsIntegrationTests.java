package io.attach.storage;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.attach.test.FaultProxy;
import io.attach.test.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import org.springframework.util.unit.DataSize;

import static io.attach.storage.S3FileStorageIntegrationTests.random;
import static io.attach.storage.S3FileStorageIntegrationTests.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Integration tests for {@link S3FileStorage} when the store fails: S3Proxy behind a {@link FaultProxy} that refuses,
 * swallows or cuts connections.
 *
 * @author attach
 */
class S3FileStorageFaultsIntegrationTests {

	private static final String BUCKET = "attach-s3-faults";

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(6);

	// Time for the JVM and the SDK to notice the timeout and unwind, beyond the timeout itself.
	private static final Duration SLACK = Duration.ofSeconds(3);

	private static final int PART = (int) DataSize.ofMegabytes(5).toBytes();

	private static S3ProxyServer s3proxy;

	private FaultProxy proxy;

	private S3Target target;

	private S3Client direct;

	private S3Client client;

	private S3Presigner presigner;

	@BeforeAll
	static void startS3Proxy() {
		s3proxy = S3ProxyServer.start(BUCKET);
	}

	@AfterAll
	static void stopS3Proxy() {
		s3proxy.close();
	}

	@BeforeEach
	void startProxy() {
		this.proxy = FaultProxy.to("127.0.0.1", s3proxy.port());
		String prefix = "t-" + UUID.randomUUID() + "/";
		this.target = target(URI.create("http://127.0.0.1:" + this.proxy.getPort()), prefix);
		this.direct = S3Clients.client(target(s3proxy.endpoint(), prefix), new S3StorageProperties());
		this.presigner = S3Clients.presigner(this.target);
	}

	@AfterEach
	void stopProxy() {
		if (this.client != null) {
			this.client.close();
		}
		this.direct.close();
		this.presigner.close();
		this.proxy.close();
	}

	@Test
	void refusedConnectionsAreUnavailableWithinTheCallTimeout() {
		S3FileStorage storage = storage(2);
		this.proxy.refuse();
		assertUnavailableWithinTheCallTimeout(() -> storage.stat("file"));
		assertUnavailableWithinTheCallTimeout(() -> storage.put("file", new byte[10], PutOptions.defaults()));
		assertUnavailableWithinTheCallTimeout(() -> storage.list("").toList());
	}

	@Test
	void aBlackHoleIsUnavailableWithinTheCallTimeout() {
		S3FileStorage storage = storage(2);
		storage.put("warm", new byte[1], PutOptions.defaults());
		this.proxy.blackhole();
		assertUnavailableWithinTheCallTimeout(() -> storage.stat("warm"));
		assertUnavailableWithinTheCallTimeout(() -> storage.put("file", new byte[10], PutOptions.defaults()));
		assertThat(exists("file")).isFalse();
	}

	@Test
	void theStorageRecoversWhenTheStoreIsBack() {
		S3FileStorage storage = storage(2);
		this.proxy.refuse();
		assertThatThrownBy(() -> storage.put("back", new byte[] { 1 }, PutOptions.defaults()))
			.isInstanceOf(StorageUnavailableException.class);
		this.proxy.blackhole();
		assertThatThrownBy(() -> storage.stat("back")).isInstanceOf(StorageUnavailableException.class);
		this.proxy.pass();
		storage.put("back", new byte[] { 1 }, PutOptions.defaults());
		assertThat(storage.stat("back").size()).isOne();
	}

	@Test
	void anUploadResetMidTransferIsRetriedAndStoredWhole() throws Exception {
		S3FileStorage storage = storage(10);
		byte[] content = random(3 * 1024 * 1024);
		long cut = 1024 * 1024;
		long before = this.proxy.getBytesFromClients();
		this.proxy.cutAfter(cut);
		CompletableFuture<StoredFile> put = CompletableFuture
			.supplyAsync(() -> storage.put("retried", content, PutOptions.defaults()));
		while (this.proxy.getBytesFromClients() - before <= cut && !put.isDone()) {
			Thread.sleep(1);
		}
		// The connection that went past the cut is reset; its retries go through once the store is back.
		Thread.sleep(20);
		this.proxy.pass();
		StoredFile stored = put.get();
		assertThat(stored.size()).isEqualTo(content.length);
		assertThat(read(this.direct.getObject((request) -> request.bucket(BUCKET).key(this.target.prefix() + "retried"))))
			.isEqualTo(content);
		// The body went out more than once: the first attempt was cut, a retry stored it.
		assertThat(this.proxy.getBytesFromClients() - before).isGreaterThan(content.length + cut);
	}

	@Test
	void anUploadResetOnEveryAttemptLeavesNoObject() {
		S3FileStorage storage = storage(2);
		this.proxy.cutAfter(1024 * 1024);
		assertThatThrownBy(() -> storage.put("cut", random(3 * 1024 * 1024), PutOptions.defaults()))
			.isInstanceOf(StorageUnavailableException.class);
		assertThat(exists("cut")).isFalse();
	}

	@Test
	void aMultipartUploadResetOnEveryAttemptLeavesNoObjectAndNoOpenUpload() {
		S3FileStorage storage = storage(2);
		this.proxy.cutAfter(1024 * 1024);
		assertThatThrownBy(() -> storage.put("cut-multipart",
				new S3FileStorageIntegrationTests.UnknownLength(random(2 * PART + 10)), PutOptions.defaults()))
			.isInstanceOf(StorageUnavailableException.class);
		assertThat(exists("cut-multipart")).isFalse();
		assertThat(this.direct.listMultipartUploads((request) -> request.bucket(BUCKET).prefix(this.target.prefix()))
			.uploads()).isEmpty();
	}

	@Test
	void whenTheStoreIsSlowThenCallsWithoutContentGiveUpAtTheirShortTimeoutWhileUploadsFinish() {
		S3StorageProperties properties = new S3StorageProperties();
		properties.setPartSize(DataSize.ofBytes(PART));
		properties.setMaxAttempts(1);
		properties.setReadTimeout(Duration.ofSeconds(20));
		properties.setApiCallAttemptTimeout(Duration.ofSeconds(20));
		properties.setApiCallTimeout(Duration.ofSeconds(40));
		properties.setMetadataCallAttemptTimeout(Duration.ofMillis(500));
		properties.setMetadataCallTimeout(Duration.ofSeconds(1));
		this.client = S3Clients.client(this.target, properties);
		S3FileStorage storage = new S3FileStorage(this.client, this.presigner, this.target, properties);
		storage.put("slow", new byte[] { 1 }, PutOptions.defaults());
		// Every chunk each way waits a second: a call waits two at least, past the short timeout, within the long one.
		this.proxy.latency(Duration.ofSeconds(1));
		for (Executable call : new Executable[] { () -> storage.stat("slow"), () -> storage.exists("slow"),
				() -> storage.open("slow").close(), () -> storage.listPage("", null, 10), () -> storage.delete("slow"),
				() -> storage.copy("slow", "slow-copy") }) {
			// The SDK's call or attempt timeout, not the read timeout of 20 s.
			assertThatThrownBy(call::execute).isInstanceOf(StorageUnavailableException.class)
				.hasMessageContaining("(ApiCall");
		}
		StoredFile stored = storage.put("uploaded", random(1024), PutOptions.defaults());
		this.proxy.pass();
		assertThat(stored.size()).isEqualTo(1024);
		assertThat(exists("uploaded")).isTrue();
	}

	private void assertUnavailableWithinTheCallTimeout(Executable call) {
		long start = System.nanoTime();
		assertThatThrownBy(call::execute).isInstanceOf(StorageUnavailableException.class)
			.hasMessageNotContaining(s3proxy.secretKey());
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(CALL_TIMEOUT.plus(SLACK));
	}

	private boolean exists(String key) {
		return !this.direct.listObjectsV2((request) -> request.bucket(BUCKET).prefix(this.target.prefix() + key))
			.contents()
			.isEmpty();
	}

	private S3FileStorage storage(int maxAttempts) {
		S3StorageProperties properties = new S3StorageProperties();
		properties.setPartSize(DataSize.ofBytes(PART));
		properties.setConnectTimeout(Duration.ofSeconds(1));
		properties.setReadTimeout(Duration.ofSeconds(2));
		properties.setApiCallAttemptTimeout(Duration.ofSeconds(3));
		properties.setApiCallTimeout(CALL_TIMEOUT);
		properties.setMaxAttempts(maxAttempts);
		this.client = S3Clients.client(this.target, properties);
		return new S3FileStorage(this.client, this.presigner, this.target, properties);
	}

	private static S3Target target(URI endpoint, String prefix) {
		return new S3Target(BUCKET, prefix, null, endpoint, true, s3proxy.accessKey(), s3proxy.secretKey(),
				"STORAGE_URL");
	}

}
