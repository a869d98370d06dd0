package io.attach.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A write of a {@link LocalFileStorage} in progress: a file in {@code .attach/tmp}, locked while it lives so that a
 * sweep (of this or another instance sharing the root) tells a leftover of a crashed process from a live write, then
 * renamed or linked into place, and deleted when closed if it was not.
 *
 * @author attach
 */
final class LocalTempFile implements Closeable {

	static final int BUFFER_SIZE = 64 * 1024;

	private static final String SUFFIX = ".tmp";

	private static final Log logger = LogFactory.getLog(LocalTempFile.class);

	private final Path path;

	private final FileChannel channel;

	private final FileLock lock;

	private long size;

	private @Nullable String sha256;

	private boolean committed;

	private LocalTempFile(Path path, FileChannel channel, FileLock lock) {
		this.path = path;
		this.channel = channel;
		this.lock = lock;
	}

	static LocalTempFile create(LocalTree tree) throws IOException {
		Path path = tree.tmp().resolve(UUID.randomUUID() + SUFFIX);
		FileChannel channel = FileChannel.open(path,
				Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
				tree.fileAttributes());
		try {
			return new LocalTempFile(path, channel, channel.lock());
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			Files.deleteIfExists(path);
			throw ex;
		}
	}

	/**
	 * Copies a stream to the file to its end, computing its SHA-256, and forces it to disk.
	 * @param content the content, not closed
	 * @throws SourceException if reading the content failed
	 * @throws IOException if writing failed
	 */
	void write(InputStream content) throws IOException {
		MessageDigest digest = newDigest();
		byte[] buffer = new byte[BUFFER_SIZE];
		long written = 0;
		while (true) {
			int read;
			try {
				read = content.read(buffer);
			}
			catch (IOException ex) {
				throw new SourceException(ex);
			}
			if (read < 0) {
				break;
			}
			digest.update(buffer, 0, read);
			ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
			while (bytes.hasRemaining()) {
				this.channel.write(bytes);
			}
			written += read;
		}
		this.channel.force(true);
		this.size = written;
		this.sha256 = HexFormat.of().formatHex(digest.digest());
	}

	long size() {
		return this.size;
	}

	String sha256() {
		if (this.sha256 == null) {
			throw new IllegalStateException("Nothing written yet");
		}
		return this.sha256;
	}

	/**
	 * Identifies the file across renames and links: its inode, where the file system has one.
	 * @return the identity, or {@code null}
	 */
	@Nullable String identity() throws IOException {
		Object key = Files.readAttributes(this.path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		return (key != null) ? key.toString() : null;
	}

	/**
	 * Renames the file over a target, atomically: a reader sees the old file or the new one.
	 * @param target the target
	 */
	void moveTo(Path target) throws IOException {
		Files.move(this.path, target, StandardCopyOption.ATOMIC_MOVE);
		this.committed = true;
	}

	/**
	 * Links the file at a target that must not exist: of two writers racing, exactly one succeeds.
	 * @param target the target
	 * @throws java.nio.file.FileAlreadyExistsException if a file is there
	 */
	void linkTo(Path target) throws IOException {
		Files.createLink(target, this.path);
		this.committed = true;
	}

	Path path() {
		return this.path;
	}

	@Override
	public void close() throws IOException {
		try {
			release();
		}
		catch (IOException ex) {
			if (!this.committed) {
				throw ex;
			}
			// The content is in place: failing the write now would tell the caller it was not stored when it was. A
			// name left in the temporary directory is a leftover the next start sweeps.
			logger.warn("Stored a file, but could not remove its temporary name " + this.path + ": " + ex);
		}
	}

	private void release() throws IOException {
		try {
			try {
				this.lock.release();
			}
			finally {
				this.channel.close();
			}
		}
		finally {
			// Gone after a rename; after a link (or a failure) its name is removed here.
			Files.deleteIfExists(this.path);
		}
	}

	/**
	 * Deletes the files of writes that no process holds any more: leftovers of a crash.
	 * @param tree the tree whose temporary directory to sweep
	 * @return how many were deleted
	 */
	static int sweep(LocalTree tree) throws IOException {
		int deleted = 0;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(tree.tmp(), "*" + SUFFIX)) {
			for (Path file : files) {
				if (isAbandoned(file)) {
					Files.deleteIfExists(file);
					deleted++;
				}
			}
		}
		return deleted;
	}

	private static boolean isAbandoned(Path file) throws IOException {
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
			FileLock lock = channel.tryLock();
			if (lock == null) {
				return false;
			}
			lock.release();
			return true;
		}
		catch (OverlappingFileLockException ex) {
			// A write of this very process.
			return false;
		}
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * Reading the caller's content failed, as opposed to writing the disk.
	 */
	static final class SourceException extends IOException {

		private static final long serialVersionUID = 1L;

		private final IOException source;

		SourceException(IOException source) {
			super(source.getMessage(), source);
			this.source = source;
		}

		IOException source() {
			return this.source;
		}

	}

}
