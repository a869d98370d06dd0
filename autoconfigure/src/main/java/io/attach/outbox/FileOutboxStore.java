package io.attach.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

	private static final String ITEM = SpoolFiles.ITEM;

	private static final String PENDING = SpoolFiles.PENDING;

	private static final String UNKNOWN_OUTCOME = "The transaction that enqueued this item ended with an unknown outcome"
			+ " (or the application stopped while it committed); check whether it committed before requeueing it";

	// Channels are resource names; anything else in the directory, such as lost+found, is not ours.
	private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_-]+");

	private final Path directory;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, ConcurrentSkipListMap<Long, Entry>> channels = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> parked = new ConcurrentHashMap<>();

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
			this.lock = SpoolFiles.lock(this.directory);
			recover();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot use the outbox directory " + this.directory
					+ "; set attach.outbox.directory to a writable directory", ex);
		}
	}

	/**
	 * Releases the directory for the next run.
	 * @throws IOException if the lock cannot be released
	 */
	@Override
	public void close() throws IOException {
		SpoolFiles.unlock(this.lock);
	}

	@Override
	public void add(String channel, String id, byte[] payload) {
		long seq = this.sequence.incrementAndGet();
		Instant now = Instant.now();
		Path ready = channelDirectory(channel).resolve(SpoolFiles.name(seq, ITEM));
		try {
			Path pending = SpoolFiles.writePending(channelDirectory(channel), seq, id, payload, now);
			if (TransactionHook.afterCompletion(() -> publishAfterCommit(channel, seq, pending, ready, now),
					() -> SpoolFiles.delete(pending), () -> moveToParked(channel, pending, UNKNOWN_OUTCOME))) {
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
					claimed.add(SpoolFiles.read(entry.path, entry.attempts));
					entry.leasedUntil = now + lease.toMillis();
				}
				catch (NoSuchFileException ex) {
					// Removed by hand, or by a temp-directory cleaner: nothing left to send, nothing to stop for.
					entries(channel).remove(SpoolFiles.sequenceOf(entry.path));
					logger.warn("Outbox " + channel + ": the item file " + entry.path + " disappeared; it is skipped");
				}
				catch (SpoolFiles.CorruptItemException ex) {
					// One unreadable item must not hold up every later one.
					entries(channel).remove(SpoolFiles.sequenceOf(entry.path));
					moveToParked(channel, entry.path, "The item file cannot be read: " + ex.getMessage());
				}
				catch (IOException ex) {
					// Such as too many open files: the item is fine, the relay backs off and reads it again.
					throw new UncheckedIOException("Could not read the outbox item " + entry.path, ex);
				}
			}
		}
		return claimed;
	}

	@Override
	public void delivered(String channel, OutboxItem item) {
		Entry entry = entries(channel).remove(item.sequence());
		if (entry != null) {
			SpoolFiles.delete(entry.path);
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
			for (Path file : files.filter(SpoolFiles::isItem).sorted().toList()) {
				long enqueuedAt;
				try {
					enqueuedAt = SpoolFiles.read(file, 0).enqueuedAt().toEpochMilli();
				}
				catch (SpoolFiles.CorruptItemException ex) {
					// Parked because it cannot be read: requeueing would only park it again.
					continue;
				}
				Path ready = channelDirectory(channel).resolve(file.getFileName());
				Files.move(file, ready, StandardCopyOption.ATOMIC_MOVE);
				Files.deleteIfExists(SpoolFiles.reasonFile(file));
				entries(channel).put(SpoolFiles.sequenceOf(ready), new Entry(ready, enqueuedAt));
				this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).decrementAndGet();
				count++;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not requeue the parked items in " + parkedDirectory, ex);
		}
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

	private void publish(String channel, long seq, Path pending, Path ready, Instant enqueuedAt) {
		try {
			SpoolFiles.moveDurably(pending, ready);
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
						.filter(SpoolFiles::isItem)
						.toList();
					items.forEach((path) -> this.sequence.accumulateAndGet(SpoolFiles.sequenceOf(path), Math::max));
					this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).addAndGet(items.size());
				}
				try (Stream<Path> files = Files.list(channelDirectory)) {
					for (Path file : files.sorted().toList()) {
						String name = file.getFileName().toString();
						if (!SpoolFiles.isItem(file)) {
							continue;
						}
						if (name.endsWith(ITEM)) {
							try {
								index(channel, file);
							}
							catch (SpoolFiles.CorruptItemException ex) {
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
		long seq = SpoolFiles.sequenceOf(file);
		this.sequence.accumulateAndGet(seq, Math::max);
		entries(channel).put(seq, new Entry(file, SpoolFiles.read(file, 0).enqueuedAt().toEpochMilli()));
	}

	private void moveToParked(String channel, Path file, String reason) {
		Path target = parkedDirectory(channel).resolve(file.getFileName().toString().replace(PENDING, ITEM));
		try {
			Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
			SpoolFiles.writeReason(target, reason);
			this.sequence.accumulateAndGet(SpoolFiles.sequenceOf(target), Math::max);
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
		return SpoolFiles.createDirectory(this.directory.resolve(channel));
	}

	private Path parkedDirectory(String channel) {
		return SpoolFiles.createDirectory(channelDirectory(channel).resolve("parked"));
	}

	private static final class Entry {

		final Path path;

		final long enqueuedAt;

		volatile int attempts;

		volatile long notBefore;

		volatile long leasedUntil;

		Entry(Path path, long enqueuedAt) {
			this.path = path;
			this.enqueuedAt = enqueuedAt;
		}

	}

}
