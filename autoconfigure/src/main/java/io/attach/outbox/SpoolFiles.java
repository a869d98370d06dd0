package io.attach.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The on-disk form of a {@link FileOutboxStore}: one file per item named by its sequence, written with
 * {@code fsync} and moved into place atomically, and the lock that keeps a second process out.
 *
 * @author attach
 */
final class SpoolFiles {

	static final String ITEM = ".item";

	static final String PENDING = ".pending";

	private static final Log logger = LogFactory.getLog(SpoolFiles.class);

	private static final int FORMAT = 0x41544f31;

	private static final Pattern NAME = Pattern.compile("\\d{19}\\.(item|pending)");

	private SpoolFiles() {
	}

	/**
	 * Thrown when a file is not a whole outbox item: parked, since reading it again cannot help.
	 */
	static final class CorruptItemException extends IOException {

		CorruptItemException(String message) {
			super(message);
		}

	}

	static FileLock lock(Path directory) throws IOException {
		FileChannel file = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE);
		FileLock lock;
		try {
			lock = file.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			lock = null;
		}
		if (lock == null) {
			file.close();
			throw new IllegalStateException("The outbox directory " + directory + " is in use by another application,"
					+ " or by another application context in this JVM; give each its own attach.outbox.directory"
					+ " (or spring.application.name)");
		}
		return lock;
	}

	static void unlock(FileLock lock) throws IOException {
		try {
			lock.release();
		}
		finally {
			lock.channel().close();
		}
	}

	/**
	 * Writes an item under its pending name and forces it to disk.
	 * @param directory the channel's directory
	 * @param sequence the item's sequence
	 * @param id the item's id
	 * @param payload the item's bytes
	 * @param enqueuedAt when it was enqueued
	 * @return the pending file
	 * @throws IOException if the file cannot be written
	 */
	static Path writePending(Path directory, long sequence, String id, byte[] payload, Instant enqueuedAt)
			throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + 128);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeInt(FORMAT);
			out.writeUTF(id);
			out.writeLong(enqueuedAt.toEpochMilli());
			out.writeInt(payload.length);
			out.write(payload);
		}
		Path pending = directory.resolve(name(sequence, PENDING));
		try (FileChannel file = FileChannel.open(pending, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			file.write(ByteBuffer.wrap(bytes.toByteArray()));
			// On disk before the caller is told the item is safe.
			file.force(true);
		}
		return pending;
	}

	/**
	 * Reads an item.
	 * @param file the item's file
	 * @param attempts the attempts counted so far
	 * @return the item
	 * @throws CorruptItemException if the file is not a whole outbox item
	 * @throws IOException if the file cannot be read now, such as when it is gone
	 */
	static OutboxItem read(Path file, int attempts) throws IOException {
		try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
			if (data.readInt() != FORMAT) {
				throw new CorruptItemException("Not an outbox item: " + file);
			}
			String id = data.readUTF();
			Instant enqueuedAt = Instant.ofEpochMilli(data.readLong());
			int length = data.readInt();
			byte[] payload = data.readNBytes(length);
			if (payload.length != length) {
				throw new CorruptItemException("Truncated outbox item: " + file);
			}
			return new OutboxItem(sequenceOf(file), id, payload, enqueuedAt, attempts);
		}
		catch (EOFException | UTFDataFormatException ex) {
			throw new CorruptItemException("Truncated or garbled outbox item " + file + ": " + ex.getMessage());
		}
	}

	/**
	 * Moves a file into place and makes the move itself durable, not just the file's bytes.
	 * @param from the file
	 * @param to its new path
	 * @throws IOException if the file cannot be moved
	 */
	static void moveDurably(Path from, Path to) throws IOException {
		Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
		try (FileChannel directory = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
			directory.force(true);
		}
		catch (IOException ex) {
			// The item is in place and will be sent; only a power loss right now could undo the move.
			logger.warn("Could not sync the outbox directory " + to.getParent() + ": " + ex.getMessage());
		}
	}

	static void writeReason(Path parkedItem, String reason) throws IOException {
		Files.writeString(reasonFile(parkedItem), reason, StandardCharsets.UTF_8);
	}

	static Path reasonFile(Path item) {
		return item.resolveSibling(item.getFileName().toString().replace(ITEM, ".reason"));
	}

	static boolean isItem(Path file) {
		return NAME.matcher(file.getFileName().toString()).matches();
	}

	static String name(long sequence, String suffix) {
		return String.format("%019d%s", sequence, suffix);
	}

	static long sequenceOf(Path file) {
		String name = file.getFileName().toString();
		return Long.parseLong(name.substring(0, name.indexOf('.')));
	}

	static Path createDirectory(Path directory) {
		try {
			return Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the outbox directory " + directory, ex);
		}
	}

	static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + file + ": " + ex.getMessage());
		}
	}

}
