package io.attach.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.attach.resilience.ResourceGuard;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FileStorage} whose calls to the store go through the resource's {@link ResourceGuard}: while its circuit
 * breaker is open they fail at once with {@link StorageUnavailableException}, without waiting out the client's
 * timeouts.
 * <p>
 * Only {@link StorageUnavailableException} counts against the store; a missing file, an existing one or an invalid
 * key is the caller's business. Nothing is retried here: the S3 client retries, in one layer. Presigning and
 * {@link #capabilities()} reach no store and are never refused. Reading a stream that {@link #open} returned happens
 * after the guarded call.
 *
 * @author attach
 */
final class GuardedFileStorage implements FileStorage {

	/** The page size {@link #list(String)} fetches, each page one guarded call. */
	static final int LIST_PAGE = 1000;

	private final FileStorage files;

	private final @Nullable ResourceGuard guard;

	/**
	 * Guards a backend's storage.
	 * @param files the backend's storage
	 * @param guard the resource's guard, or {@code null} when {@code attach.guard.resources.storage.enabled} is
	 * {@code false} or Resilience4j is absent, to pass calls through
	 */
	GuardedFileStorage(FileStorage files, @Nullable ResourceGuard guard) {
		this.files = files;
		this.guard = guard;
	}

	@Override
	public StoredFile put(String key, InputStream content, PutOptions options) {
		StorageKeys.check(key);
		return call(() -> this.files.put(key, content, options));
	}

	@Override
	public StoredFile put(String key, byte[] content, PutOptions options) {
		StorageKeys.check(key);
		return call(() -> this.files.put(key, content, options));
	}

	@Override
	public StoredFile put(String key, Path file, PutOptions options) {
		StorageKeys.check(key);
		return call(() -> this.files.put(key, file, options));
	}

	@Override
	public StoredFile stat(String key) {
		StorageKeys.check(key);
		return call(() -> this.files.stat(key));
	}

	@Override
	public boolean exists(String key) {
		StorageKeys.check(key);
		return call(() -> this.files.exists(key));
	}

	@Override
	public InputStream open(String key) {
		StorageKeys.check(key);
		return call(() -> this.files.open(key));
	}

	@Override
	public InputStream open(String key, long offset, long length) {
		StorageKeys.check(key);
		return call(() -> this.files.open(key, offset, length));
	}

	@Override
	public void delete(String key) {
		StorageKeys.check(key);
		call(() -> {
			this.files.delete(key);
			return Boolean.TRUE;
		});
	}

	@Override
	public void deleteAll(Collection<String> keys) {
		keys.forEach(StorageKeys::check);
		call(() -> {
			this.files.deleteAll(keys);
			return Boolean.TRUE;
		});
	}

	@Override
	public Stream<StoredFile> list(String prefix) {
		StorageKeys.checkPrefix(prefix);
		// Page by page through listPage, so that each request to the store is one guarded call.
		return StreamSupport.stream(new Pages(prefix), false);
	}

	@Override
	public FilePage listPage(String prefix, @Nullable String startAfter, int limit) {
		StorageKeys.checkPrefix(prefix);
		return call(() -> this.files.listPage(prefix, startAfter, limit));
	}

	@Override
	public StoredFile copy(String sourceKey, String targetKey) {
		StorageKeys.check(sourceKey);
		StorageKeys.check(targetKey);
		return call(() -> this.files.copy(sourceKey, targetKey));
	}

	@Override
	public URI presignGet(String key, Duration expiry) {
		return this.files.presignGet(key, expiry);
	}

	@Override
	public URI presignPut(String key, Duration expiry, @Nullable String contentType) {
		return this.files.presignPut(key, expiry, contentType);
	}

	@Override
	public StorageCapabilities capabilities() {
		return this.files.capabilities();
	}

	/**
	 * Returns the guard, for the health check to hold the breaker open while it finds the store down.
	 * @return the guard, or empty when calls pass through
	 */
	Optional<ResourceGuard> guard() {
		return Optional.ofNullable(this.guard);
	}

	@Override
	public String toString() {
		return "GuardedFileStorage[" + this.files + "]";
	}

	private <T> T call(Supplier<T> call) {
		ResourceGuard guard = this.guard;
		if (guard == null) {
			return call.get();
		}
		Outcome<T> outcome = guard.call(() -> {
			try {
				return new Outcome<>(call.get(), null);
			}
			catch (StorageUnavailableException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				// The store answered: handed back past the breaker, which counts the call as a success.
				return new Outcome<T>(null, ex);
			}
		}, (rejection) -> new StorageUnavailableException(rejection.message(), null, rejection.retryAfter()));
		return Objects.requireNonNull(outcome).get();
	}

	/**
	 * What a guarded call returned, or the exception that is the caller's business.
	 */
	private record Outcome<T>(@Nullable T value, @Nullable RuntimeException failure) {

		T get() {
			RuntimeException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			return Objects.requireNonNull(this.value);
		}

	}

	/**
	 * The files under a prefix, one guarded {@link #listPage} per page, fetched as the stream is consumed.
	 */
	private final class Pages extends Spliterators.AbstractSpliterator<StoredFile> {

		private final String prefix;

		private Iterator<StoredFile> page = Collections.emptyIterator();

		private @Nullable String startAfter;

		private boolean last;

		Pages(String prefix) {
			super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT);
			this.prefix = prefix;
		}

		@Override
		public boolean tryAdvance(Consumer<? super StoredFile> action) {
			while (!this.page.hasNext()) {
				if (this.last) {
					return false;
				}
				FilePage next = listPage(this.prefix, this.startAfter, LIST_PAGE);
				this.page = next.files().iterator();
				this.startAfter = next.nextStartAfter();
				this.last = this.startAfter == null;
			}
			action.accept(this.page.next());
			return true;
		}

	}

}
