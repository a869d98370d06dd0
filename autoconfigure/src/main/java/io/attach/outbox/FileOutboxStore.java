package io.attach.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Keeps outbox items as files in a local spool directory, one file per item, written with {@code fsync} and an
 * atomic rename so that a crash leaves either the whole item or none.
 * <p>
 * Attempt counts and leases live in memory: one process owns a spool directory, and holds a lock on it to make sure.
 *
 * @author attach
 */
public final class FileOutboxStore implements OutboxStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(FileOutboxStore.class);

	private static final String ITEM = ".item";

	private static final String PENDING = ".pending";

	private static final int FORMAT = 0x41544f31;

	private static final String UNKNOWN_OUTCOME = "The transaction that enqueued this item ended with an unknown outcome"
			+ " (or the application stopped while it committed); check whether it committed before requeueing it";

	// Channels are resource names; anything else in the directory, such as lost+found, is not ours.
	private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_-]+");

	private static final Pattern ITEM_NAME = Pattern.compile("\\d{19}\\.(item|pending)");

	private final Path directory;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, ConcurrentSkipListMap<Long, Entry>> channels = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> parked = new ConcurrentHashMap<>();

	private final FileChannel lockFile;

	private final FileLock lock;

	/**
	 * Creates a store, taking over the items a previous run left in the directory.
	 * @param directory the spool directory, created when missing
	 * @throws IllegalStateException if another process uses the directory
	 */
	public FileOutboxStore(Path directory) {
		this.directory = directory.toAbsolutePath();
		try {
			Files.createDirectories(this.directory);
			this.lockFile = FileChannel.open(this.directory.resolve(".lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE);
			this.lock = lock(this.lockFile, this.directory);
			recover();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot use the outbox directory " + this.directory
					+ "; set attach.outbox.directory to a writable directory", ex);
		}
	}

	private static FileLock lock(FileChannel file, Path directory) throws IOException {
		FileLock lock;
		try {
			lock = file.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			lock = null;
		}
		if (lock == null) {
			file.close();
			throw new IllegalStateException("The outbox directory " + directory + " is in use by another application;"
					+ " give each application its own attach.outbox.directory (or spring.application.name)");
		}
		return lock;
	}

	/**
	 * Releases the directory for the next run.
	 * @throws IOException if the lock cannot be released
	 */
	@Override
	public void close() throws IOException {
		try {
			this.lock.release();
		}
		finally {
			this.lockFile.close();
		}
	}

	@Override
	public void add(String channel, String id, byte[] payload) {
		long seq = this.sequence.incrementAndGet();
		Instant now = Instant.now();
		Path ready = channelDirectory(channel).resolve(name(seq, ITEM));
		try {
			Path pending = write(channel, seq, id, payload, now);
			if (TransactionHook.afterCompletion(() -> publishAfterCommit(channel, seq, pending, ready, now),
					() -> delete(pending), () -> moveToParked(channel, pending, UNKNOWN_OUTCOME))) {
				return;
			}
			publish(channel, seq, pending, ready, now);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write an outbox item to " + this.directory, ex);
		}
	}

	@Override
	public List<OutboxItem> claim(String channel, int max, Duration lease) {
		long now = System.currentTimeMillis();
		List<OutboxItem> claimed = new ArrayList<>();
		for (Entry entry : entries(channel).values()) {
			if (claimed.size() == max) {
				break;
			}
			if (entry.notBefore <= now && entry.leasedUntil < now) {
				try {
					claimed.add(read(entry));
					entry.leasedUntil = now + lease.toMillis();
				}
				catch (NoSuchFileException ex) {
					// Removed by hand, or by a temp-directory cleaner: nothing left to send, nothing to stop for.
					entries(channel).remove(sequenceOf(entry.path));
					logger.warn("Outbox " + channel + ": the item file " + entry.path + " disappeared; it is skipped");
				}
				catch (IOException ex) {
					// One unreadable item must not hold up every later one.
					entries(channel).remove(sequenceOf(entry.path));
					moveToParked(channel, entry.path, "The item file cannot be read: " + ex.getMessage());
				}
			}
		}
		return claimed;
	}

	@Override
	public void delivered(String channel, OutboxItem item) {
		Entry entry = entries(channel).remove(item.sequence());
		if (entry != null) {
			delete(entry.path);
		}
	}

	@Override
	public void retry(String channel, OutboxItem item, Instant notBefore, String error) {
		Entry entry = entries(channel).get(item.sequence());
		if (entry != null) {
			entry.attempts++;
			entry.notBefore = notBefore.toEpochMilli();
			entry.leasedUntil = 0;
		}
	}

	@Override
	public void release(String channel, List<OutboxItem> items) {
		items.forEach((item) -> {
			Entry entry = entries(channel).get(item.sequence());
			if (entry != null) {
				entry.leasedUntil = 0;
			}
		});
	}

	@Override
	public void park(String channel, OutboxItem item, String reason) {
		Entry entry = entries(channel).remove(item.sequence());
		if (entry != null) {
			moveToParked(channel, entry.path, reason);
		}
	}

	@Override
	public int requeueParked(String channel) {
		Path parkedDirectory = parkedDirectory(channel);
		int count = 0;
		try (Stream<Path> files = Files.list(parkedDirectory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(ITEM)).sorted().toList()) {
				Path ready = channelDirectory(channel).resolve(file.getFileName());
				Files.move(file, ready, StandardCopyOption.ATOMIC_MOVE);
				Files.deleteIfExists(reasonFile(file));
				index(channel, ready);
				count++;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not requeue the parked items in " + parkedDirectory, ex);
		}
		this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).addAndGet(-count);
		return count;
	}

	@Override
	public OutboxStats stats(String channel) {
		ConcurrentSkipListMap<Long, Entry> entries = entries(channel);
		Map.Entry<Long, Entry> first = entries.firstEntry();
		long parkedCount = this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).get();
		return new OutboxStats(entries.size(), parkedCount,
				(first != null) ? Instant.ofEpochMilli(first.getValue().enqueuedAt) : null);
	}

	@Override
	public String location() {
		return "directory " + this.directory;
	}

	private Path write(String channel, long seq, String id, byte[] payload, Instant now) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(FORMAT);
			out.writeUTF(id);
			out.writeLong(now.toEpochMilli());
			out.writeInt(payload.length);
			out.write(payload);
		}
		Path pending = channelDirectory(channel).resolve(name(seq, PENDING));
		try (FileChannel file = FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			file.write(java.nio.ByteBuffer.wrap(bytes.toByteArray()));
			// On disk before the caller is told the item is safe.
			file.force(true);
		}
		return pending;
	}

	private void publish(String channel, long seq, Path pending, Path ready, Instant enqueuedAt) {
		try {
			Files.move(pending, ready, StandardCopyOption.ATOMIC_MOVE);
			syncDirectory(ready.getParent());
			entries(channel).put(seq, new Entry(ready, enqueuedAt.toEpochMilli()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not publish the outbox item " + pending, ex);
		}
	}

	private void publishAfterCommit(String channel, long seq, Path pending, Path ready, Instant enqueuedAt) {
		try {
			publish(channel, seq, pending, ready, enqueuedAt);
		}
		catch (UncheckedIOException ex) {
			// Spring only logs what fails after a commit: park the committed item so that it is counted and kept.
			moveToParked(channel, pending, "Could not publish the item after its transaction committed: "
					+ ex.getMessage());
			throw ex;
		}
	}

	private OutboxItem read(Entry entry) throws IOException {
		try (InputStream in = Files.newInputStream(entry.path); DataInputStream data = new DataInputStream(in)) {
			if (data.readInt() != FORMAT) {
				throw new IOException("Not an outbox item: " + entry.path);
			}
			String id = data.readUTF();
			Instant enqueuedAt = Instant.ofEpochMilli(data.readLong());
			byte[] payload = data.readNBytes(data.readInt());
			return new OutboxItem(sequenceOf(entry.path), id, payload, enqueuedAt, entry.attempts);
		}
	}

	private void recover() throws IOException {
		try (Stream<Path> channelDirectories = Files.list(this.directory)) {
			for (Path channelDirectory : channelDirectories.filter(Files::isDirectory)
				.filter((path) -> CHANNEL.matcher(path.getFileName().toString()).matches())
				.toList()) {
				String channel = channelDirectory.getFileName().toString();
				Path parkedDirectory = channelDirectory.resolve("parked");
				try (Stream<Path> parkedFiles = Files.isDirectory(parkedDirectory) ? Files.list(parkedDirectory)
						: Stream.empty()) {
					List<Path> items = parkedFiles
						.filter((path) -> ITEM_NAME.matcher(path.getFileName().toString()).matches())
						.toList();
					items.forEach((path) -> this.sequence.accumulateAndGet(sequenceOf(path), Math::max));
					this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).addAndGet(items.size());
				}
				try (Stream<Path> files = Files.list(channelDirectory)) {
					for (Path file : files.sorted().toList()) {
						String name = file.getFileName().toString();
						if (!ITEM_NAME.matcher(name).matches()) {
							continue;
						}
						if (name.endsWith(ITEM)) {
							try {
								index(channel, file);
							}
							catch (IOException ex) {
								moveToParked(channel, file, "The item file cannot be read: " + ex.getMessage());
							}
						}
						else if (name.endsWith(PENDING)) {
							// Written inside a transaction whose outcome this process did not live to see.
							moveToParked(channel, file, UNKNOWN_OUTCOME);
						}
					}
				}
			}
		}
		this.channels.forEach((channel, entries) -> {
			if (!entries.isEmpty()) {
				logger.info("Outbox " + channel + ": " + entries.size() + " item(s) from an earlier run wait in "
						+ this.directory);
			}
		});
	}

	private void index(String channel, Path file) throws IOException {
		long seq = sequenceOf(file);
		this.sequence.accumulateAndGet(seq, Math::max);
		Entry entry = new Entry(file, 0);
		entry.enqueuedAt = read(entry).enqueuedAt().toEpochMilli();
		entries(channel).put(seq, entry);
	}

	private void moveToParked(String channel, Path file, String reason) {
		Path target = parkedDirectory(channel).resolve(file.getFileName().toString().replace(PENDING, ITEM));
		try {
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
			Files.writeString(reasonFile(target), reason, StandardCharsets.UTF_8);
			this.sequence.accumulateAndGet(sequenceOf(target), Math::max);
			this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).incrementAndGet();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not park the outbox item " + file, ex);
		}
	}

	private ConcurrentSkipListMap<Long, Entry> entries(String channel) {
		return this.channels.computeIfAbsent(channel, (key) -> new ConcurrentSkipListMap<>());
	}

	private Path channelDirectory(String channel) {
		return createDirectory(this.directory.resolve(channel));
	}

	private Path parkedDirectory(String channel) {
		return createDirectory(channelDirectory(channel).resolve("parked"));
	}

	private static Path createDirectory(Path directory) {
		try {
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the outbox directory " + directory, ex);
		}
	}

	private static void syncDirectory(Path directory) throws IOException {
		// Makes the rename itself durable, not just the file's bytes.
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	private static Path reasonFile(Path item) {
		return item.resolveSibling(item.getFileName().toString().replace(ITEM, ".reason"));
	}

	private static String name(long seq, String suffix) {
		return String.format("%019d%s", seq, suffix);
	}

	private static long sequenceOf(Path file) {
		String name = file.getFileName().toString();
		return Long.parseLong(name.substring(0, name.indexOf('.')));
	}

	private static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + file + ": " + ex.getMessage());
		}
	}

	private static final class Entry {

		final Path path;

		volatile long enqueuedAt;

		volatile int attempts;

		volatile long notBefore;

		volatile long leasedUntil;

		Entry(Path path, long enqueuedAt) {
			this.path = path;
			this.enqueuedAt = enqueuedAt;
		}

	}

}
