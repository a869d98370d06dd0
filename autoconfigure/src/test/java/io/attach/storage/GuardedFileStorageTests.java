package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import io.attach.resilience.AttachGuardProperties;
import io.attach.resilience.ResourceCircuitBreakers;
import io.attach.resilience.ResourceGuard;
import io.attach.resilience.ResourceGuards;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link GuardedFileStorage}, over an in-memory store that fails on demand, and the breaker attach gives
 * every guarded resource (five failures in a row open it).
 *
 * @author attach
 */
class GuardedFileStorageTests {

	private final FlakyStorage store = new FlakyStorage();

	private final ResourceGuard guard = guard();

	private final GuardedFileStorage files = new GuardedFileStorage(this.store, this.guard);

	@Test
	void whenStoreIsUnreachableFiveTimesThenTheBreakerOpensAndCallsFailAtOnceWithoutReachingIt() {
		this.store.unavailable = true;
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> this.files.stat("a.txt"))
				.withMessage("store unreachable");
		}
		assertThat(this.guard.getState()).isEqualTo(State.OPEN);
		this.store.unavailable = false;
		assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> this.files.exists("a.txt"))
			.withMessageStartingWith("storage (storage) is not called: its circuit breaker is OPEN; retry in ")
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).hasValueSatisfying(
					(retryAfter) -> assertThat(retryAfter).isPositive())); // the sample's Retry-After
		assertThatExceptionOfType(StorageUnavailableException.class)
			.isThrownBy(() -> this.files.put("a.txt", bytes("x"), PutOptions.defaults()));
		// One call each, never retried here: the client retries, in one layer.
		assertThat(this.store.calls.get()).isEqualTo(5);
	}

	@Test
	void whenCallsFailForTheCallersReasonsThenTheBreakerStaysClosed() {
		this.files.put("taken.txt", bytes("x"), PutOptions.defaults());
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(StorageFileNotFoundException.class).isThrownBy(() -> this.files.stat("missing"));
			assertThatExceptionOfType(StorageFileExistsException.class)
				.isThrownBy(() -> this.files.put("taken.txt", bytes("y"), PutOptions.defaults().withFailIfExists()));
			assertThatExceptionOfType(StorageFileNotFoundException.class)
				.isThrownBy(() -> this.files.copy("missing", "copy"));
		}
		assertThat(this.guard.getState()).isEqualTo(State.CLOSED);
		assertThat(this.store.calls.get()).isEqualTo(31);
		assertThat(new String(this.store.content.get("taken.txt"), StandardCharsets.UTF_8)).isEqualTo("x");
	}

	@Test
	void whenAKeyIsInvalidThenItIsRefusedWithoutReachingTheStoreEvenWhileTheBreakerIsOpen() {
		openBreaker();
		int before = this.store.calls.get();
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> this.files.open("../etc/passwd"));
		assertThatExceptionOfType(InvalidStorageKeyException.class)
			.isThrownBy(() -> this.files.deleteAll(List.of("ok", "/bad")));
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> this.files.list("/a"));
		assertThat(this.store.calls.get()).isEqualTo(before);
	}

	@Test
	void whenTheHealthCheckFindsTheStoreUpThenTheNextCallProbesAndClosesTheBreaker() {
		openBreaker();
		this.store.unavailable = false;
		this.guard.markUp();
		assertThat(this.files.exists("a.txt")).isFalse();
		assertThat(this.guard.getState()).isEqualTo(State.CLOSED);
	}

	@Test
	void whenTheHealthCheckFindsTheStoreDownThenCallsFailAtOnce() {
		this.guard.markDown(Duration.ofMinutes(1));
		assertThatExceptionOfType(StorageUnavailableException.class)
			.isThrownBy(() -> this.files.open("a.txt", 0, 10))
			.withMessageContaining("its circuit breaker is OPEN");
		assertThat(this.store.calls.get()).isZero();
	}

	@Test
	void whenFilesAreListedThenPagesAreFetchedOneGuardedCallAtATimeAsTheStreamIsConsumed() {
		List<String> keys = IntStream.range(0, 2500).mapToObj((i) -> "p/%05d".formatted(i)).toList();
		keys.forEach((key) -> this.store.content.put(key, new byte[0]));
		this.store.content.put("q/other", new byte[0]);
		int before = this.store.calls.get();
		try (Stream<StoredFile> listed = this.files.list("p/")) {
			assertThat(listed.limit(10).map(StoredFile::key)).containsExactlyElementsOf(keys.subList(0, 10));
		}
		assertThat(this.store.calls.get() - before).isEqualTo(1);
		try (Stream<StoredFile> listed = this.files.list("p/")) {
			assertThat(listed.map(StoredFile::key).toList()).containsExactlyElementsOf(keys);
		}
		assertThat(this.store.calls.get() - before).isEqualTo(1 + 3);
		assertThat(this.store.listCalls).isEqualTo(4);
	}

	@Test
	void whenTheBreakerOpensWhileListingThenTheNextPageFailsAtOnce() {
		IntStream.range(0, 1500).forEach((i) -> this.store.content.put("k" + i, new byte[0]));
		try (Stream<StoredFile> listed = this.files.list("")) {
			var iterator = listed.iterator();
			for (int i = 0; i < GuardedFileStorage.LIST_PAGE; i++) {
				iterator.next();
			}
			openBreaker();
			assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(iterator::hasNext);
		}
	}

	@Test
	void whenTheBreakerIsOpenThenPresigningAndCapabilitiesStillWork() {
		openBreaker();
		assertThat(this.files.presignGet("a.txt", Duration.ofMinutes(5))).hasToString("memory://get/a.txt");
		assertThat(this.files.presignPut("a.txt", Duration.ofMinutes(5), null)).hasToString("memory://put/a.txt");
		assertThat(this.files.capabilities().backend()).isEqualTo("memory");
	}

	@Test
	void whenThereIsNoGuardThenCallsPassThrough() {
		GuardedFileStorage unguarded = new GuardedFileStorage(this.store, null);
		this.store.unavailable = true;
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> unguarded.delete("a"));
		}
		assertThat(this.store.calls.get()).isEqualTo(10);
		assertThat(unguarded.guard()).isEmpty();
	}

	@Test
	void whenCallsSucceedThenTheirResultsAreTheStoresOwn() throws Exception {
		StoredFile stored = this.files.put("dir/a.txt", new ByteArrayInputStream(bytes("hello")),
				PutOptions.defaults().withContentType("text/plain"));
		assertThat(stored.size()).isEqualTo(5);
		assertThat(this.files.stat("dir/a.txt")).isEqualTo(stored);
		try (InputStream content = this.files.open("dir/a.txt")) {
			assertThat(content.readAllBytes()).isEqualTo(bytes("hello"));
		}
		this.files.delete("dir/a.txt");
		assertThat(this.files.exists("dir/a.txt")).isFalse();
	}

	private void openBreaker() {
		boolean unavailable = this.store.unavailable;
		this.store.unavailable = true;
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> this.files.stat("x"));
		}
		this.store.unavailable = unavailable;
		assertThat(this.guard.getState()).isEqualTo(State.OPEN);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static ResourceGuard guard() {
		AttachedResource resource = new AttachedResource("storage", ResourceKinds.named("storage").orElseThrow(),
				"STORAGE_URL", ResourceUrl.of("STORAGE_URL", "s3://files"), ReadinessRole.DEGRADABLE);
		ResourceCircuitBreakers breakers = new ResourceCircuitBreakers(CircuitBreakerRegistry.ofDefaults(),
				TimeLimiterRegistry.ofDefaults(), null, false);
		return new ResourceGuards(breakers, new AttachGuardProperties(), null)
			.forResource(resource, StorageAttachAutoConfiguration.CONCURRENT_CALLS)
			.orElseThrow();
	}

	/**
	 * A store in memory that can be made unreachable, counting the calls that reach it.
	 */
	static final class FlakyStorage implements FileStorage {

		final Map<String, byte[]> content = new TreeMap<>();

		final AtomicInteger calls = new AtomicInteger();

		volatile boolean unavailable;

		int listCalls;

		@Override
		public StoredFile put(String key, InputStream content, PutOptions options) {
			reach();
			try {
				return store(key, content.readAllBytes(), options);
			}
			catch (java.io.IOException ex) {
				throw new StorageException("could not read", ex);
			}
		}

		@Override
		public StoredFile put(String key, byte[] content, PutOptions options) {
			reach();
			return store(key, content, options);
		}

		@Override
		public StoredFile put(String key, Path file, PutOptions options) {
			throw new UnsupportedOperationException();
		}

		@Override
		public StoredFile stat(String key) {
			reach();
			return file(key, found(key));
		}

		@Override
		public boolean exists(String key) {
			reach();
			return this.content.containsKey(key);
		}

		@Override
		public InputStream open(String key) {
			reach();
			return new ByteArrayInputStream(found(key));
		}

		@Override
		public InputStream open(String key, long offset, long length) {
			reach();
			byte[] bytes = found(key);
			return new ByteArrayInputStream(bytes, (int) offset, (int) Math.min(length, bytes.length - offset));
		}

		@Override
		public void delete(String key) {
			reach();
			this.content.remove(key);
		}

		@Override
		public void deleteAll(Collection<String> keys) {
			reach();
			keys.forEach(this.content::remove);
		}

		@Override
		public Stream<StoredFile> list(String prefix) {
			throw new UnsupportedOperationException("GuardedFileStorage lists through listPage");
		}

		@Override
		public FilePage listPage(String prefix, @Nullable String startAfter, int limit) {
			reach();
			this.listCalls++;
			List<StoredFile> page = new ArrayList<>();
			for (Map.Entry<String, byte[]> entry : this.content.entrySet()) {
				if (entry.getKey().startsWith(prefix) && (startAfter == null || entry.getKey().compareTo(startAfter) > 0)) {
					if (page.size() == limit) {
						return new FilePage(page, page.get(page.size() - 1).key());
					}
					page.add(file(entry.getKey(), entry.getValue()));
				}
			}
			return new FilePage(page, null);
		}

		@Override
		public StoredFile copy(String sourceKey, String targetKey) {
			reach();
			return store(targetKey, found(sourceKey), PutOptions.defaults());
		}

		@Override
		public URI presignGet(String key, Duration expiry) {
			return URI.create("memory://get/" + key);
		}

		@Override
		public URI presignPut(String key, Duration expiry, @Nullable String contentType) {
			return URI.create("memory://put/" + key);
		}

		@Override
		public StorageCapabilities capabilities() {
			return new StorageCapabilities("memory", "memory", true, true, Integer.MAX_VALUE);
		}

		private void reach() {
			this.calls.incrementAndGet();
			if (this.unavailable) {
				throw new StorageUnavailableException("store unreachable", null);
			}
		}

		private StoredFile store(String key, byte[] bytes, PutOptions options) {
			if (options.failIfExists() && this.content.containsKey(key)) {
				throw new StorageFileExistsException("exists: " + key, null);
			}
			this.content.put(key, bytes);
			return file(key, bytes);
		}

		private byte[] found(String key) {
			byte[] bytes = this.content.get(key);
			if (bytes == null) {
				throw new StorageFileNotFoundException("not found: " + key, null);
			}
			return bytes;
		}

		private static StoredFile file(String key, byte[] bytes) {
			return new StoredFile(key, bytes.length, "application/octet-stream", Instant.EPOCH, Map.of(), null);
		}

	}

}
