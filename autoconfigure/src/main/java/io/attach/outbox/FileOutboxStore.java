package io.attach.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

import io.attach.core.Timeouts;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps outbox items as files in a local spool directory, one file per item, written with {@code fsync} and an
 * atomic rename so that a crash leaves either the whole item or none.
 * <p>
 * Attempt counts and leases live in memory: one process owns a spool directory, and holds a lock on it to make sure.
 * The directory and its files are the application user's alone: a directory another user could change is refused,
 * and a file found there that this user did not write is set aside, never sent.
 *
 * @author attach
 */
public final class FileOutboxStore implements OutboxStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(FileOutboxStore.class);

	private static final String ITEM = SpoolFiles.ITEM;

	private static final String PENDING = SpoolFiles.PENDING;

	private static final String PARKED = "parked";

	private static final String REJECTED = "rejected";

	private static final String UNKNOWN_OUTCOME = "The transaction that enqueued this item ended with an unknown outcome"
			+ " (or the application stopped while it committed); check whether it committed before requeueing it";

	// Channels are resource names; anything else in the directory, such as lost+found, is not ours.
	private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_-]+");

	private final SpoolDirectory spool;

	private final Path directory;

	private final SpoolFiles.Opener opener;

	private final AtomicLong sequence = new AtomicLong();

	private final Map<String, ConcurrentSkipListMap<Long, Entry>> channels = new ConcurrentHashMap<>();

	private final Map<String, Path> channelDirectories = new ConcurrentHashMap<>();

	private final Map<String, AtomicLong> parked = new ConcurrentHashMap<>();

	private final FileLock lock;

	private volatile boolean closed;

	/**
	 * Creates a store, taking over the items a previous run left in the directory.
	 * @param directory the spool directory, created owner-only when missing
	 * @throws IllegalStateException if another process uses the directory, or another user could change it
	 */
	public FileOutboxStore(Path directory) {
		this(directory, SpoolFiles.Opener.DEFAULT);
	}

	FileOutboxStore(Path directory, SpoolFiles.Opener opener) {
		this.spool = SpoolDirectory.open(directory);
		this.directory = this.spool.path();
		this.opener = opener;
		try {
			this.lock = SpoolFiles.lock(this.directory, this.spool.fileAttributes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot use the outbox directory " + this.directory + "; set "
					+ SpoolDirectory.SETTING + " to a writable directory", ex);
		}
		// On failure the lock goes, or a second attempt in this JVM would be told that the directory is in use.
		try {
			recover();
		}
		catch (IOException ex) {
			unlockQuietly();
			throw new UncheckedIOException("Cannot use the outbox directory " + this.directory + "; set "
					+ SpoolDirectory.SETTING + " to a writable directory", ex);
		}
		catch (RuntimeException ex) {
			unlockQuietly();
			throw ex;
		}
	}

	/**
	 * Releases the directory, and with it every item this store leased, for the next run.
	 * @throws IOException if the lock cannot be released
	 */
	@Override
	public synchronized void close() throws IOException {
		if (!this.closed) {
			this.closed = true;
			SpoolFiles.unlock(this.lock);
		}
	}

	@Override
	public void add(String channel, OutboxMessage message) {
		if (this.closed) {
			// The next run may hold the directory already, and would not see the item until it restarts.
			throw new IllegalStateException("The outbox in " + this.directory + " is closed");
		}
		long seq = this.sequence.incrementAndGet();
		Instant now = Instant.now();
		Path channelDirectory = channelDirectory(channel);
		Path ready = channelDirectory.resolve(SpoolFiles.name(seq, ITEM));
		try {
			Path pending = SpoolFiles.writePending(this.opener, this.spool.fileAttributes(), channelDirectory, seq,
					message, now);
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
					// Checked again before it goes out: the file may have been replaced since this store wrote it.
					if (setAsideIfForeign(channel, entry.path)) {
						entries(channel).remove(SpoolFiles.sequenceOf(entry.path));
						continue;
					}
					claimed.add(SpoolFiles.read(entry.path, entry.attempts));
					entry.leasedUntil = now + Timeouts.millis(lease);
				}
				catch (NoSuchFileException ex) {
					// Removed by hand, or by a temp-directory cleaner: nothing left to send, nothing to stop for.
					entries(channel).remove(SpoolFiles.sequenceOf(entry.path));
					logger.warn("Outbox " + channel + ": the item file " + entry.path + " disappeared; it is skipped");
				}
				catch (SpoolFiles.CorruptItemException ex) {
					// One unreadable item must not hold up every later one.
					entries(channel).remove(SpoolFiles.sequenceOf(entry.path));
					parkUnreadable(channel, entry.path, ex);
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

	// Leases live in this process only: the next run, after close(), may claim every item at once anyway.
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
		int unreadable = 0;
		try (Stream<Path> files = Files.list(parkedDirectory)) {
			for (Path file : files.filter(SpoolFiles::isItem).sorted().toList()) {
				if (setAsideIfForeign(channel, file)) {
					// Counted when it was parked, or when found at startup while it still looked like ours.
					this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).decrementAndGet();
					continue;
				}
				long enqueuedAt;
				try {
					enqueuedAt = SpoolFiles.read(file, 0).enqueuedAt().toEpochMilli();
				}
				catch (SpoolFiles.CorruptItemException ex) {
					// Parked because it cannot be read: requeueing would only park it again.
					unreadable++;
					continue;
				}
				Path ready = channelDirectory(channel).resolve(file.getFileName());
				SpoolFiles.move(file, ready);
				Files.deleteIfExists(SpoolFiles.reasonFile(file));
				entries(channel).put(SpoolFiles.sequenceOf(ready), new Entry(ready, enqueuedAt));
				this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).decrementAndGet();
				count++;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not requeue the parked items in " + parkedDirectory, ex);
		}
		if (unreadable > 0) {
			logger.warn("Outbox " + channel + ": " + unreadable + " parked item(s) in " + parkedDirectory
					+ " cannot be read and stay parked; their .reason files say why");
		}
		return count;
	}

	@Override
	public List<ParkedItem> parked(String channel, int limit) {
		List<ParkedItem> items = new ArrayList<>();
		for (Path file : parkedFiles(channel)) {
			if (items.size() >= limit) {
				break;
			}
			String reason = reason(file);
			try {
				OutboxItem item = SpoolFiles.read(file, 0);
				// Attempts are counted in memory only: not known once parked.
				items.add(new ParkedItem(item.id(), 0, reason, item.enqueuedAt()));
			}
			catch (SpoolFiles.CorruptItemException ex) {
				// Its id cannot be read: listed, discarded, by its file name.
				items.add(new ParkedItem(file.getFileName().toString(), 0, reason, null));
			}
			catch (NoSuchFileException ex) {
				// Requeued or discarded meanwhile.
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the parked outbox item " + file, ex);
			}
		}
		return items;
	}

	@Override
	public synchronized boolean discardParked(String channel, String id) {
		boolean discarded = false;
		for (Path file : parkedFiles(channel)) {
			if (isParked(file, id)) {
				SpoolFiles.delete(file);
				SpoolFiles.delete(SpoolFiles.reasonFile(file));
				this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).decrementAndGet();
				discarded = true;
			}
		}
		return discarded;
	}

	@Override
	public synchronized boolean requeueParked(String channel, String id) {
		boolean requeued = false;
		for (Path file : parkedFiles(channel)) {
			try {
				if (!isParked(file, id)) {
					continue;
				}
				long enqueuedAt = SpoolFiles.read(file, 0).enqueuedAt().toEpochMilli();
				Path ready = channelDirectory(channel).resolve(file.getFileName());
				SpoolFiles.move(file, ready);
				Files.deleteIfExists(SpoolFiles.reasonFile(file));
				entries(channel).put(SpoolFiles.sequenceOf(ready), new Entry(ready, enqueuedAt));
				this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).decrementAndGet();
				requeued = true;
			}
			catch (SpoolFiles.CorruptItemException ex) {
				// Parked because it cannot be read: requeueing would only park it again.
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not requeue the parked outbox item " + file, ex);
			}
		}
		return requeued;
	}

	// Only what this user wrote: a foreign file is set aside when the parked items are requeued, never listed.
	private List<Path> parkedFiles(String channel) {
		Path parkedDirectory = parkedDirectory(channel);
		try (Stream<Path> files = Files.list(parkedDirectory)) {
			return files.filter(SpoolFiles::isItem).sorted().filter((file) -> !isForeign(file)).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not list the parked items in " + parkedDirectory, ex);
		}
	}

	private boolean isForeign(Path file) {
		try {
			return this.spool.foreign(file) != null;
		}
		catch (IOException ex) {
			return true;
		}
	}

	private static boolean isParked(Path file, String id) {
		if (file.getFileName().toString().equals(id)) {
			return true;
		}
		try {
			return SpoolFiles.read(file, 0).id().equals(id);
		}
		catch (IOException ex) {
			// Unreadable, or gone meanwhile: only its file name can name it.
			return false;
		}
	}

	private static @Nullable String reason(Path file) {
		try {
			return Files.readString(SpoolFiles.reasonFile(file), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return null;
		}
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
			for (Path channelDirectory : channelDirectories
				.filter((path) -> CHANNEL.matcher(path.getFileName().toString()).matches())
				.filter((path) -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(path))
				.toList()) {
				String channel = channelDirectory.getFileName().toString();
				// Refuses a link, or a directory another user could change, before reading anything in it.
				this.channelDirectories.put(channel, this.spool.directory(channelDirectory));
				recoverParked(channel, channelDirectory.resolve(PARKED));
				try (Stream<Path> files = Files.list(channelDirectory)) {
					for (Path file : files.filter(SpoolFiles::isItem).sorted().toList()) {
						if (setAsideIfForeign(channel, file)) {
							continue;
						}
						if (file.getFileName().toString().endsWith(ITEM)) {
							try {
								index(channel, file);
							}
							catch (SpoolFiles.CorruptItemException ex) {
								parkUnreadable(channel, file, ex);
							}
						}
						else {
							recoverPending(channel, file);
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

	private void recoverParked(String channel, Path parkedDirectory) throws IOException {
		if (!Files.exists(parkedDirectory, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		this.spool.directory(parkedDirectory);
		try (Stream<Path> files = Files.list(parkedDirectory)) {
			for (Path file : files.filter(SpoolFiles::isItem).toList()) {
				if (!setAsideIfForeign(channel, file)) {
					this.sequence.accumulateAndGet(SpoolFiles.sequenceOf(file), Math::max);
					this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).incrementAndGet();
				}
			}
		}
	}

	private void recoverPending(String channel, Path file) throws IOException {
		this.sequence.accumulateAndGet(SpoolFiles.sequenceOf(file), Math::max);
		try {
			SpoolFiles.read(file, 0);
		}
		catch (SpoolFiles.CorruptItemException ex) {
			// A write that never completed was never reported as queued: there is no item to keep.
			logger.warn("Outbox " + channel + ": " + ex.getMessage() + "; its write never completed, so its sender"
					+ " was told it failed or was never answered, and the file is removed");
			SpoolFiles.delete(file);
			return;
		}
		// Written inside a transaction whose outcome this process did not live to see.
		moveToParked(channel, file, UNKNOWN_OUTCOME);
	}

	private void index(String channel, Path file) throws IOException {
		long seq = SpoolFiles.sequenceOf(file);
		this.sequence.accumulateAndGet(seq, Math::max);
		entries(channel).put(seq, new Entry(file, SpoolFiles.read(file, 0).enqueuedAt().toEpochMilli()));
	}

	// Only what this user wrote is sent: anything else is moved out of the way, kept for the operator to inspect.
	private boolean setAsideIfForeign(String channel, Path file) throws IOException {
		String reason = this.spool.foreign(file);
		if (reason == null) {
			return false;
		}
		this.sequence.accumulateAndGet(SpoolFiles.sequenceOf(file), Math::max);
		Path rejected = this.spool.directory(channelDirectory(channel).resolve(REJECTED));
		Path target = rejected.resolve(file.getFileName());
		if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
			target = rejected.resolve(file.getFileName() + "." + System.nanoTime());
		}
		try {
			Files.move(file, target, LinkOption.NOFOLLOW_LINKS);
			logger.warn("Outbox " + channel + ": " + file + " is " + reason + ", so not an item this application"
					+ " wrote; it is never sent, and was moved to " + target + " for you to inspect");
		}
		catch (IOException ex) {
			logger.warn("Outbox " + channel + ": " + file + " is " + reason + ", so not an item this application"
					+ " wrote; it is never sent, and could not be moved aside: " + ex.getMessage());
		}
		return true;
	}

	private void parkUnreadable(String channel, Path file, IOException ex) {
		logger.warn("Outbox " + channel + ": " + ex.getMessage() + "; it cannot be sent, and is parked, counted in"
				+ " attach.outbox.parked, with the reason next to it");
		moveToParked(channel, file, "The item file cannot be read: " + ex.getMessage());
	}

	private void moveToParked(String channel, Path file, String reason) {
		Path target = parkedDirectory(channel).resolve(file.getFileName().toString().replace(PENDING, ITEM));
		try {
			SpoolFiles.move(file, target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not park the outbox item " + file, ex);
		}
		this.sequence.accumulateAndGet(SpoolFiles.sequenceOf(target), Math::max);
		this.parked.computeIfAbsent(channel, (key) -> new AtomicLong()).incrementAndGet();
		try {
			SpoolFiles.writeReason(target, reason, this.spool.fileAttributes());
		}
		catch (IOException ex) {
			// The item is parked and counted all the same; only the note for the operator is missing.
			logger.warn("Outbox " + channel + ": parked " + target + " (" + reason + ") but could not write why: "
					+ ex.getMessage());
		}
	}

	private ConcurrentSkipListMap<Long, Entry> entries(String channel) {
		return this.channels.computeIfAbsent(channel, (key) -> new ConcurrentSkipListMap<>());
	}

	private Path channelDirectory(String channel) {
		if (!CHANNEL.matcher(channel).matches()) {
			throw new IllegalArgumentException("Outbox channel '" + channel + "' is not a resource name");
		}
		return this.channelDirectories.computeIfAbsent(channel,
				(key) -> this.spool.directory(this.directory.resolve(key)));
	}

	private Path parkedDirectory(String channel) {
		return this.spool.directory(channelDirectory(channel).resolve(PARKED));
	}

	private void unlockQuietly() {
		try {
			close();
		}
		catch (IOException ex) {
			logger.debug("Could not release the outbox directory " + this.directory, ex);
		}
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
