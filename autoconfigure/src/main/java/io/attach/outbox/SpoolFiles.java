package io.attach.outbox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk form of a {@link FileOutboxStore}: one file per item named by its sequence, with its length and a
 * checksum, written with {@code fsync} and moved into place atomically, and the lock that keeps a second process
 * out. No link is ever followed.
 *
 * @author attach
 */
final class SpoolFiles {

	static final String ITEM = ".item";

	static final String PENDING = ".pending";

	private static final Log logger = LogFactory.getLog(SpoolFiles.class);

	// Written by earlier versions, without a length or checksum: still read, so that their items are sent.
	private static final int FORMAT_1 = 0x41544f31;

	// Framed with a length and a checksum.
	private static final int FORMAT_2 = 0x41544f32;

	// Framed as format 2, with the envelope after the payload: written only for an item that has an envelope, so
	// that the version before it still reads mail written by this one.
	private static final int FORMAT_3 = 0x41544f33;

	// Magic, body length, then the checksum after the body.
	private static final int FRAME = 12;

	private static final Pattern NAME = Pattern.compile("\\d{19}\\.(item|pending)");

	private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
			LinkOption.NOFOLLOW_LINKS);

	private SpoolFiles() {
	}

	/**
	 * Opens files for writing, as {@link FileChannel#open(Path, Set, FileAttribute[])} does.
	 */
	@FunctionalInterface
	interface Opener {

		Opener DEFAULT = FileChannel::open;

		FileChannel open(Path file, Set<? extends OpenOption> options, FileAttribute<?>... attributes)
				throws IOException;

	}

	/**
	 * Thrown when a file is not a whole outbox item: parked, since reading it again cannot help.
	 */
	static final class CorruptItemException extends IOException {

		CorruptItemException(String message) {
			super(message);
		}

	}

	static FileLock lock(Path directory, FileAttribute<?>[] attributes) throws IOException {
		FileChannel file = FileChannel.open(directory.resolve(".lock"), Set.of(StandardOpenOption.CREATE,
				StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS), attributes);
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
	 * Writes an item under its pending name, to its last byte, and forces it to disk; on failure, removes what it
	 * wrote.
	 * @param opener opens the file
	 * @param attributes the new file's attributes
	 * @param directory the channel's directory
	 * @param sequence the item's sequence
	 * @param message the item's id, bytes and envelope
	 * @param enqueuedAt when it was enqueued
	 * @return the pending file
	 * @throws IOException if the file cannot be written whole
	 */
	static Path writePending(Opener opener, FileAttribute<?>[] attributes, Path directory, long sequence,
			OutboxMessage message, Instant enqueuedAt) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(encode(message, enqueuedAt));
		Path pending = directory.resolve(name(sequence, PENDING));
		FileChannel file = opener.open(pending, CREATE_NEW, attributes);
		try (file) {
			while (bytes.hasRemaining()) {
				if (file.write(bytes) <= 0) {
					throw new IOException("Wrote " + bytes.position() + " of " + bytes.limit() + " bytes of " + pending
							+ ", then nothing more (is the disk full?)");
				}
			}
			// On disk before the caller is told the item is safe.
			file.force(true);
		}
		catch (IOException | RuntimeException ex) {
			// Never told safe: a part left behind would only be found, and set aside, at the next start.
			delete(pending);
			throw ex;
		}
		return pending;
	}

	/**
	 * Reads an item, without following a link.
	 * @param file the item's file
	 * @param attempts the attempts counted so far
	 * @return the item
	 * @throws CorruptItemException if the file is not a whole outbox item
	 * @throws IOException if the file cannot be read now, such as when it is gone
	 */
	static OutboxItem read(Path file, int attempts) throws IOException {
		byte[] bytes = readAll(file);
		try {
			DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
			int format = data.readInt();
			if (format == FORMAT_2 || format == FORMAT_3) {
				int length = data.readInt();
				if (length < 0 || bytes.length != FRAME + length) {
					throw new CorruptItemException("Truncated outbox item " + file + ": " + bytes.length
							+ " bytes on disk, " + ((length < 0) ? "a garbled length" : (FRAME + length) + " written"));
				}
				CRC32C checksum = new CRC32C();
				checksum.update(bytes, 8, length);
				if ((int) checksum.getValue() != ByteBuffer.wrap(bytes, 8 + length, 4).getInt()) {
					throw new CorruptItemException("Outbox item " + file + " does not match its checksum");
				}
			}
			else if (format != FORMAT_1) {
				throw new CorruptItemException("Not an outbox item: " + file);
			}
			String id = data.readUTF();
			Instant enqueuedAt = Instant.ofEpochMilli(data.readLong());
			int length = data.readInt();
			byte[] payload = data.readNBytes(length);
			if (payload.length != length) {
				throw new CorruptItemException("Truncated outbox item: " + file);
			}
			OutboxMessage message = (format == FORMAT_3) ? new OutboxMessage(id, payload, absentIfEmpty(data.readUTF()),
					absentIfEmpty(data.readUTF()), OutboxMessage.decodeHeaders(data.readUTF()))
					: OutboxMessage.of(id, payload);
			return new OutboxItem(sequenceOf(file), message, enqueuedAt, attempts);
		}
		catch (EOFException | UTFDataFormatException ex) {
			throw new CorruptItemException("Truncated or garbled outbox item " + file + ": " + ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			// Only a file this store did not write whole can hold what no message may.
			throw new CorruptItemException("Garbled outbox item " + file + ": " + ex.getMessage());
		}
	}

	/**
	 * Moves a file into place and makes the move itself durable, not just the file's bytes.
	 * @param from the file
	 * @param to its new path
	 * @throws IOException if the file cannot be moved
	 */
	static void moveDurably(Path from, Path to) throws IOException {
		move(from, to);
		try (FileChannel directory = FileChannel.open(to.getParent(), StandardOpenOption.READ,
				LinkOption.NOFOLLOW_LINKS)) {
			directory.force(true);
		}
		catch (IOException ex) {
			// The item is in place and will be sent; only a power loss right now could undo the move.
			logger.warn("Could not sync the outbox directory " + to.getParent() + ": " + ex.getMessage());
		}
	}

	/**
	 * Renames a file, replacing the target; a link, at either end, is renamed, never followed.
	 * @param from the file
	 * @param to its new path
	 * @throws IOException if the file cannot be moved
	 */
	static void move(Path from, Path to) throws IOException {
		Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, LinkOption.NOFOLLOW_LINKS);
	}

	/**
	 * Writes the reason an item is parked next to it, as a new file renamed into place, so that whatever is already
	 * there, such as a link, is replaced rather than written through.
	 * @param parkedItem the parked item
	 * @param reason why it is parked
	 * @param attributes the new file's attributes
	 * @throws IOException if the reason cannot be written
	 */
	static void writeReason(Path parkedItem, String reason, FileAttribute<?>[] attributes) throws IOException {
		Path temporary = Files.createTempFile(parkedItem.getParent(), ".reason-", ".tmp", attributes);
		try {
			Files.write(temporary, reason.getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
			move(temporary, reasonFile(parkedItem));
		}
		catch (IOException | RuntimeException ex) {
			delete(temporary);
			throw ex;
		}
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

	static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + file + ": " + ex.getMessage());
		}
	}

	private static byte[] encode(OutboxMessage message, Instant enqueuedAt) throws IOException {
		byte[] payload = message.payload();
		boolean envelope = message.contentType() != null || message.key() != null || !message.headers().isEmpty();
		ByteArrayOutputStream body = new ByteArrayOutputStream(payload.length + 128);
		try (DataOutputStream out = new DataOutputStream(body)) {
			out.writeUTF(message.id());
			out.writeLong(enqueuedAt.toEpochMilli());
			out.writeInt(payload.length);
			out.write(payload);
			if (envelope) {
				// Empty for absent: no message has an empty content type or key. Each part fits writeUTF's 64 KiB.
				out.writeUTF(emptyIfAbsent(message.contentType()));
				out.writeUTF(emptyIfAbsent(message.key()));
				out.writeUTF(message.encodedHeaders());
			}
		}
		CRC32C checksum = new CRC32C();
		checksum.update(body.toByteArray());
		ByteBuffer frame = ByteBuffer.allocate(FRAME + body.size());
		frame.putInt(envelope ? FORMAT_3 : FORMAT_2).putInt(body.size()).put(body.toByteArray()).putInt((int) checksum.getValue());
		return frame.array();
	}

	private static String emptyIfAbsent(@Nullable String text) {
		return (text != null) ? text : "";
	}

	private static @Nullable String absentIfEmpty(String text) {
		return text.isEmpty() ? null : text;
	}

	private static byte[] readAll(Path file) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			long size = channel.size();
			if (size > Integer.MAX_VALUE - 8) {
				throw new CorruptItemException("Not an outbox item, at " + size + " bytes: " + file);
			}
			ByteBuffer bytes = ByteBuffer.allocate((int) size);
			while (bytes.hasRemaining()) {
				if (channel.read(bytes) < 0) {
					break;
				}
			}
			return (bytes.hasRemaining()) ? Arrays.copyOf(bytes.array(), bytes.position()) : bytes.array();
		}
	}

}
