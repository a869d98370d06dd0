package io.attach.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

import org.jspecify.annotations.Nullable;

/**
 * The directories of a {@link LocalFileStorage}: files at {@code <root>/<key>}, their metadata at
 * {@code <root>/.attach/meta/<key>}, writes in progress in {@code <root>/.attach/tmp}. Every path it hands out is
 * proven inside the root, through no symbolic link, and every file and directory it creates is the owner's only
 * where the file system has POSIX permissions.
 * <p>
 * Symbolic links are refused, not followed: each directory between the root and a file is checked. This keeps keys
 * from reaching outside the root through a link placed in the tree; it does not defend against someone who can swap
 * a directory for a link while a call runs, who could write to the root anyway.
 *
 * @author attach
 */
final class LocalTree {

	private static final String OWNER_FILE = "rw-------";

	private static final String OWNER_DIRECTORY = "rwx------";

	private final Path root;

	private final Path meta;

	private final Path tmp;

	private final boolean posix;

	private final FileAttribute<?>[] fileAttributes;

	private final FileAttribute<?>[] directoryAttributes;

	LocalTree(Path root) throws IOException {
		this.posix = root.getFileSystem().supportedFileAttributeViews().contains("posix");
		this.fileAttributes = attributes(OWNER_FILE);
		this.directoryAttributes = attributes(OWNER_DIRECTORY);
		// The root may be reached through links (/data -> /mnt/disk): they are the operator's, resolved once here.
		Files.createDirectories(root, this.directoryAttributes);
		this.root = root.toRealPath();
		Path reserved = createDirectory(this.root.resolve(StorageKeys.RESERVED_SEGMENT));
		this.meta = createDirectory(reserved.resolve("meta"));
		this.tmp = createDirectory(reserved.resolve("tmp"));
	}

	private FileAttribute<?>[] attributes(String permissions) {
		return this.posix ? new FileAttribute<?>[] {
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) }
				: new FileAttribute<?>[0];
	}

	Path root() {
		return this.root;
	}

	Path tmp() {
		return this.tmp;
	}

	Path meta() {
		return this.meta;
	}

	FileAttribute<?>[] fileAttributes() {
		return this.fileAttributes;
	}

	/**
	 * Resolves a key's file, refusing a path outside the root or through a symbolic link.
	 * @param key a key that passed {@link StorageKeys#check}
	 * @return its path
	 */
	Path data(String key) throws IOException {
		return resolve(this.root, key);
	}

	/**
	 * Resolves a key's metadata file, with the same checks.
	 * @param key a key that passed {@link StorageKeys#check}
	 * @return its path
	 */
	Path sidecar(String key) throws IOException {
		return resolve(this.meta, key);
	}

	/**
	 * Resolves a directory of keys (a listing's prefix up to its last {@code /}), with the same checks.
	 * @param base the directory's key prefix without its trailing {@code /}, or empty for the root
	 * @return its path
	 */
	Path directory(String base) throws IOException {
		return base.isEmpty() ? this.root : resolve(this.root, base);
	}

	private Path resolve(Path base, String key) throws IOException {
		Path path = base.resolve(key).normalize();
		if (!path.startsWith(base) || path.equals(base)) {
			// The grammar already forbids '..' and absolute keys; this is the proof the brief asks for, not the rule.
			throw new InvalidStorageKeyException("Storage key '" + key + "' resolves outside " + base, null);
		}
		Path current = base;
		for (Path name : base.relativize(path)) {
			current = current.resolve(name);
			BasicFileAttributes attributes = attributesOrNull(current);
			if (attributes == null) {
				break;
			}
			if (attributes.isSymbolicLink()) {
				throw new StorageException("Storage key '" + key + "' leads through the symbolic link " + current
						+ ": the local backend follows none", null);
			}
		}
		return path;
	}

	/**
	 * Creates the missing directories between a base directory and a path's parent, the owner's only.
	 * @param path a path {@link #data} or {@link #sidecar} returned
	 */
	void createParents(Path path) throws IOException {
		Path base = path.startsWith(this.meta) ? this.meta : this.root;
		Path current = base;
		Path parent = path.getParent();
		if (parent == null || parent.equals(base)) {
			return;
		}
		for (Path name : base.relativize(parent)) {
			current = current.resolve(name);
			BasicFileAttributes attributes = attributesOrNull(current);
			if (attributes == null) {
				try {
					Files.createDirectory(current, this.directoryAttributes);
					// The new directory's entry must reach the disk before a file renamed into it is called stored:
					// syncing only the file's own directory would leave the whole branch to the next crash.
					syncParent(current);
					continue;
				}
				catch (FileAlreadyExistsException ex) {
					attributes = Files.readAttributes(current, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
				}
			}
			if (attributes.isSymbolicLink()) {
				throw new StorageException(current + " is a symbolic link: the local backend follows none", null);
			}
			if (!attributes.isDirectory()) {
				throw new StorageException("The local backend cannot store " + base.relativize(path) + ": "
						+ base.relativize(current) + " is a file, and a directory cannot have the same name", null);
			}
		}
	}

	/**
	 * Removes the empty directories between a path and its base directory, never the base itself; a directory that
	 * is not empty (or that a writer just filled) stops it.
	 * @param path a path {@link #data} or {@link #sidecar} returned
	 */
	void pruneParents(Path path) {
		Path base = path.startsWith(this.meta) ? this.meta : this.root;
		Path current = path.getParent();
		while (current != null && current.startsWith(base) && !current.equals(base)) {
			try {
				Files.delete(current);
			}
			catch (IOException ex) {
				// Not empty, or already gone: either way there is nothing more to prune.
				return;
			}
			current = current.getParent();
		}
	}

	/**
	 * Forces the entries of a file's directory to disk, so that a rename into it survives a crash; a no-op where
	 * directories cannot be opened (Windows), whose file systems journal renames themselves.
	 * @param path the file
	 */
	void syncParent(Path path) throws IOException {
		Path directory = path.getParent();
		if (!this.posix || directory == null) {
			return;
		}
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	static @Nullable BasicFileAttributes attributesOrNull(Path path) throws IOException {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (FileSystemException ex) {
			Path parent = path.getParent();
			if (parent != null && !Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
				// A file where a directory would be (key 'a/b' when 'a' is a file): then nothing is here.
				return null;
			}
			throw ex;
		}
	}

	private Path createDirectory(Path directory) throws IOException {
		BasicFileAttributes attributes = attributesOrNull(directory);
		if (attributes == null) {
			try {
				Files.createDirectory(directory, this.directoryAttributes);
			}
			catch (FileAlreadyExistsException ex) {
				// Another instance sharing the root made it first.
			}
			attributes = Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
		}
		if (!attributes.isDirectory() || attributes.isSymbolicLink()) {
			throw new IOException(directory + " must be a directory, not a file or a symbolic link");
		}
		return directory;
	}

}
