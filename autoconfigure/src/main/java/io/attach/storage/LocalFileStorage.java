package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FileStorage} over a local directory. Files are plain files at {@code <root>/<key>}, so that operators can
 * read them; what travels with them lives in sidecars ({@link LocalSidecar}) under {@code <root>/.attach/meta}.
 * <p>
 * A write goes to a temporary file in {@code <root>/.attach/tmp} (same file system), copied while its SHA-256 is
 * computed, forced to disk, then renamed over the key atomically, or, when it must not replace a file, hard-linked
 * there (a link never overwrites, so of two racing writers exactly one wins); the directory is forced too. A reader
 * sees the old file or the new one, never part of one, and a write that fails leaves nothing. Temporary files of a
 * crashed process are swept when the storage starts.
 * <p>
 * Within one process, the two renames of a write (file, then sidecar) and the two reads of a call (file, then
 * sidecar) hold a lock per key, so a reader sees the new file with its new sidecar. Another process sharing the root
 * may briefly see the new file described as one written without attach, never with another file's metadata.
 * <p>
 * The local backend cannot hold a file {@code a} and a file {@code a/b} at once (a directory cannot have a file's
 * name): such a write fails with a {@link StorageException} saying so.
 *
 * @author attach
 */
final class LocalFileStorage implements FileStorage {

	private static final Log logger = LogFactory.getLog(LocalFileStorage.class);

	private static final int PAGE_SIZE = 1000;

	private static final int MAX_PAGE_SIZE = 1000;

	private static final int LOCK_STRIPES = 64;

	private static final int COMMIT_ATTEMPTS = 3;

	private final LocalTree tree;

	private final LocalUrlSigner signer;

	private final Supplier<@Nullable String> urlBase;

	private final boolean servesUrls;

	private final ReadWriteLock[] locks = new ReadWriteLock[LOCK_STRIPES];

	/**
	 * Creates the storage, creating its directories and sweeping the leftovers of crashed writes.
	 * @param tree the directories
	 * @param signer the signer of presigned URLs
	 * @param urlBase what to put before the handler's path in a presigned URL, or {@code null} for a relative URL
	 * @param servesUrls whether this application serves presigned URLs
	 */
	LocalFileStorage(LocalTree tree, LocalUrlSigner signer, Supplier<@Nullable String> urlBase, boolean servesUrls) {
		this.tree = tree;
		this.signer = signer;
		this.urlBase = urlBase;
		this.servesUrls = servesUrls;
		for (int i = 0; i < LOCK_STRIPES; i++) {
			this.locks[i] = new ReentrantReadWriteLock();
		}
		try {
			int swept = LocalTempFile.sweep(tree);
			if (swept > 0) {
				logger.info("Removed " + swept + " unfinished write(s) left in " + tree.tmp() + " by a stopped process");
			}
		}
		catch (IOException ex) {
			throw new StorageException("Could not sweep unfinished writes in " + tree.tmp() + ": " + ex, ex);
		}
	}

	LocalTree tree() {
		return this.tree;
	}

	LocalUrlSigner signer() {
		return this.signer;
	}

	@Override
	public StoredFile put(String key, InputStream content, PutOptions options) {
		StorageKeys.check(key);
		String contentType = (options.contentType() != null) ? StorageKeys.checkContentType(options.contentType())
				: LocalSidecar.DEFAULT_CONTENT_TYPE;
		StorageKeys.checkMetadata(options.metadata());
		if (options.failIfExists() && exists(key)) {
			// Early, to spare copying the content; the link at the end is what decides a race.
			throw new StorageFileExistsException("A file is already stored under '" + key + "'", null);
		}
		try (LocalTempFile temp = LocalTempFile.create(this.tree)) {
			Path target = this.tree.data(key);
			temp.write(content);
			LocalSidecar sidecar = new LocalSidecar(contentType, options.metadata(), temp.sha256(), temp.size(),
					temp.identity());
			return commit(key, target, temp, sidecar, options.failIfExists());
		}
		catch (LocalTempFile.SourceException ex) {
			throw new LocalSourceException(
					"Reading the content to store under '" + key + "' failed, nothing was stored: " + ex.getMessage(),
					ex.source());
		}
		catch (IOException ex) {
			throw failure("Storing '" + key + "'", ex);
		}
	}

	private StoredFile commit(String key, Path target, LocalTempFile temp, LocalSidecar sidecar, boolean failIfExists)
			throws IOException {
		ReadWriteLock lock = lock(key);
		lock.writeLock().lock();
		try {
			for (int attempt = 1;; attempt++) {
				this.tree.createParents(target);
				BasicFileAttributes existing = LocalTree.attributesOrNull(target);
				if (existing != null && existing.isDirectory()) {
					throw new StorageException("The local backend cannot store '" + key + "': other keys start with '"
							+ key + "/', and a file cannot have a directory's name", null);
				}
				try {
					if (failIfExists) {
						temp.linkTo(target);
					}
					else {
						temp.moveTo(target);
					}
					break;
				}
				catch (FileAlreadyExistsException ex) {
					throw new StorageFileExistsException("A file is already stored under '" + key + "'", ex);
				}
				catch (NoSuchFileException ex) {
					// A delete pruned the parent just created: create it again.
					if (attempt == COMMIT_ATTEMPTS) {
						throw ex;
					}
				}
			}
			this.tree.syncParent(target);
			writeSidecar(key, sidecar);
			return LocalSidecar.describe(key, attributes(target), sidecar);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private void writeSidecar(String key, LocalSidecar sidecar) throws IOException {
		Path path = this.tree.sidecar(key);
		try (LocalTempFile temp = LocalTempFile.create(this.tree); InputStream content = sidecar.content()) {
			temp.write(content);
			for (int attempt = 1;; attempt++) {
				this.tree.createParents(path);
				try {
					temp.moveTo(path);
					break;
				}
				catch (NoSuchFileException ex) {
					if (attempt == COMMIT_ATTEMPTS) {
						throw ex;
					}
				}
			}
		}
		this.tree.syncParent(path);
	}

	@Override
	public StoredFile put(String key, byte[] content, PutOptions options) {
		return put(key, new ByteArrayInputStream(content), options);
	}

	@Override
	public StoredFile put(String key, Path file, PutOptions options) {
		try (InputStream content = Files.newInputStream(file)) {
			return put(key, content, options);
		}
		catch (IOException ex) {
			throw new StorageException("Reading " + file + " to store under '" + key + "' failed: " + ex, ex);
		}
	}

	@Override
	public StoredFile stat(String key) {
		StorageKeys.check(key);
		ReadWriteLock lock = lock(key);
		lock.readLock().lock();
		try {
			BasicFileAttributes attributes = regularFile(key);
			return LocalSidecar.describe(key, attributes, LocalSidecar.read(this.tree.sidecar(key)));
		}
		catch (IOException ex) {
			throw failure("Reading '" + key + "'", ex);
		}
		finally {
			lock.readLock().unlock();
		}
	}

	@Override
	public boolean exists(String key) {
		StorageKeys.check(key);
		try {
			BasicFileAttributes attributes = LocalTree.attributesOrNull(this.tree.data(key));
			return attributes != null && attributes.isRegularFile();
		}
		catch (IOException ex) {
			throw failure("Reading '" + key + "'", ex);
		}
	}

	@Override
	public InputStream open(String key) {
		return open(key, 0, Long.MAX_VALUE);
	}

	@Override
	public InputStream open(String key, long offset, long length) {
		return download(key, offset, length).content();
	}

	/**
	 * Opens a file with its description, read together so that they match: what the URL handler serves.
	 * @param key the key
	 * @param offset the first byte
	 * @param length how many bytes at most
	 * @return the description and the content
	 */
	Download download(String key, long offset, long length) {
		StorageKeys.check(key);
		if (offset < 0 || length < 0) {
			throw new IllegalArgumentException("A range needs an offset and a length of 0 or more");
		}
		ReadWriteLock lock = lock(key);
		lock.readLock().lock();
		try {
			regularFile(key);
			FileChannel channel = FileChannel.open(this.tree.data(key), StandardOpenOption.READ,
					LinkOption.NOFOLLOW_LINKS);
			try {
				StoredFile file = LocalSidecar.describe(key, attributes(this.tree.data(key)),
						LocalSidecar.read(this.tree.sidecar(key)));
				channel.position(offset);
				InputStream content = Channels.newInputStream(channel);
				long remaining = Math.max(0, Math.min(length, file.size() - offset));
				return new Download(file, (remaining == file.size()) ? content : new LocalRangeInputStream(content, remaining));
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		}
		catch (NoSuchFileException ex) {
			throw notFound(key, ex);
		}
		catch (IOException ex) {
			throw failure("Reading '" + key + "'", ex);
		}
		finally {
			lock.readLock().unlock();
		}
	}

	@Override
	public void delete(String key) {
		StorageKeys.check(key);
		ReadWriteLock lock = lock(key);
		lock.writeLock().lock();
		try {
			Path data = this.tree.data(key);
			BasicFileAttributes attributes = LocalTree.attributesOrNull(data);
			if (attributes == null || !attributes.isRegularFile()) {
				return;
			}
			Files.deleteIfExists(data);
			Path sidecar = this.tree.sidecar(key);
			Files.deleteIfExists(sidecar);
			this.tree.syncParent(data);
			this.tree.pruneParents(data);
			this.tree.pruneParents(sidecar);
		}
		catch (IOException ex) {
			throw failure("Deleting '" + key + "'", ex);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	@Override
	public void deleteAll(Collection<String> keys) {
		// Every key checked first: a bad one deletes nothing rather than some.
		keys.forEach(StorageKeys::check);
		keys.forEach(this::delete);
	}

	@Override
	public Stream<StoredFile> list(String prefix) {
		StorageKeys.checkPrefix(prefix);
		Iterator<StoredFile> files = new Iterator<>() {

			private Iterator<StoredFile> page = List.<StoredFile>of().iterator();

			private @Nullable String startAfter;

			private boolean last;

			@Override
			public boolean hasNext() {
				while (!this.page.hasNext() && !this.last) {
					FilePage next = listPage(prefix, this.startAfter, PAGE_SIZE);
					this.page = next.files().iterator();
					this.startAfter = next.nextStartAfter();
					this.last = this.startAfter == null;
				}
				return this.page.hasNext();
			}

			@Override
			public StoredFile next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				return this.page.next();
			}

		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(files,
				Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL), false);
	}

	@Override
	public FilePage listPage(String prefix, @Nullable String startAfter, int limit) {
		StorageKeys.checkPrefix(prefix);
		if (limit < 1 || limit > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("A page holds 1 to " + MAX_PAGE_SIZE + " files, not " + limit);
		}
		int slash = prefix.lastIndexOf('/');
		String base = (slash < 0) ? "" : prefix.substring(0, slash);
		List<StoredFile> files = new ArrayList<>();
		try {
			Path directory = this.tree.directory(base);
			BasicFileAttributes attributes = LocalTree.attributesOrNull(directory);
			if (attributes != null && attributes.isDirectory()) {
				new LocalListing(prefix, (startAfter != null) ? LocalListing.utf8(startAfter) : null, limit + 1,
						files, this::describeListed)
					.walk(directory, base.isEmpty() ? "" : base + "/");
			}
		}
		catch (IOException ex) {
			throw failure("Listing '" + prefix + "'", ex);
		}
		if (files.size() > limit) {
			List<StoredFile> page = files.subList(0, limit);
			return new FilePage(page, page.get(limit - 1).key());
		}
		return new FilePage(files, null);
	}

	private StoredFile describeListed(String key, BasicFileAttributes attributes) throws IOException {
		return LocalSidecar.describe(key, attributes, LocalSidecar.read(this.tree.sidecar(key)));
	}

	@Override
	public StoredFile copy(String sourceKey, String targetKey) {
		StorageKeys.check(sourceKey);
		StorageKeys.check(targetKey);
		try (Download source = download(sourceKey, 0, Long.MAX_VALUE)) {
			StoredFile file = source.file();
			return put(targetKey, source.content(), new PutOptions(file.contentType(), file.metadata(), false));
		}
		catch (IOException ex) {
			throw failure("Copying '" + sourceKey + "'", ex);
		}
	}

	@Override
	public URI presignGet(String key, Duration expiry) {
		StorageKeys.check(key);
		return this.signer.sign(this.urlBase.get(), "GET", key, expiry, null);
	}

	@Override
	public URI presignPut(String key, Duration expiry, @Nullable String contentType) {
		StorageKeys.check(key);
		if (contentType != null) {
			StorageKeys.checkContentType(contentType);
		}
		return this.signer.sign(this.urlBase.get(), "PUT", key, expiry, contentType);
	}

	@Override
	public StorageCapabilities capabilities() {
		return new StorageCapabilities("local", this.tree.root().toString(), this.servesUrls, false, Long.MAX_VALUE);
	}

	private BasicFileAttributes regularFile(String key) throws IOException {
		BasicFileAttributes attributes = LocalTree.attributesOrNull(this.tree.data(key));
		if (attributes == null || !attributes.isRegularFile()) {
			throw notFound(key, null);
		}
		return attributes;
	}

	private static BasicFileAttributes attributes(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
	}

	private ReadWriteLock lock(String key) {
		return this.locks[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
	}

	private static StorageFileNotFoundException notFound(String key, @Nullable Throwable cause) {
		return new StorageFileNotFoundException("No file is stored under '" + key + "'", cause);
	}

	private static StorageException failure(String what, IOException ex) {
		return new StorageException(what + " in the local storage failed: " + ex, ex);
	}

	/**
	 * A file's description with its content, opened together.
	 *
	 * @param file the description
	 * @param content the content, which the caller closes
	 */
	record Download(StoredFile file, InputStream content) implements AutoCloseable {

		@Override
		public void close() throws IOException {
			this.content.close();
		}

	}

}
