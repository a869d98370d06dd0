package io.attach.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The directory of a {@link FileOutboxStore}, created owner-only and checked so that no other local user can plant
 * items in it, read them, or swap its files for links: the relay sends what it finds there with the application's
 * own credentials.
 *
 * @author attach
 */
final class SpoolDirectory {

	static final String SETTING = "attach.outbox.directory";

	private static final Log logger = LogFactory.getLog(SpoolDirectory.class);

	private static final int TYPE = 0170000;

	private static final int DIRECTORY = 0040000;

	private static final int REGULAR_FILE = 0100000;

	private static final int SYMBOLIC_LINK = 0120000;

	private static final int STICKY = 01000;

	private static final int GROUP_OR_OTHERS_WRITE = 0022;

	private static final int OTHERS_WRITE = 0002;

	private static final int OTHERS_ANY = 0007;

	private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

	private static final FileAttribute<?> OWNER_ONLY_DIRECTORY = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

	private static final FileAttribute<?> OWNER_ONLY_FILE = PosixFilePermissions
		.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

	private final Path path;

	// -1 on a file system without Unix owners and modes, such as on Windows, where only links are refused.
	private final int uid;

	private SpoolDirectory(Path path, int uid) {
		this.path = path;
		this.uid = uid;
	}

	/**
	 * Returns the directory used when {@code attach.outbox.directory} is not set: {@code .attach/outbox/<application>}
	 * under the user's home, which, unlike the shared temporary directory, no other user can create first.
	 * @param application the application's name
	 * @return the directory
	 * @throws IllegalStateException if the user has no home directory
	 */
	static Path defaultFor(String application) {
		String home = System.getProperty("user.home", "");
		// The JVM says '?' when the user has no passwd entry, as with an arbitrary uid in a container.
		if (home.isEmpty() || home.equals("?") || !Path.of(home).isAbsolute()) {
			throw new IllegalStateException("The outbox keeps its items in a directory, by default under the user's"
					+ " home, and this user has none (user.home is '" + home + "'): set " + SETTING
					+ " to a directory on a persistent volume, or attach a database");
		}
		String name = application.replaceAll("[^A-Za-z0-9._-]", "-");
		Path directory = Path.of(home, ".attach", "outbox",
				(name.isEmpty() || name.matches("\\.+")) ? "application" : name);
		Path former = Path.of(System.getProperty("java.io.tmpdir"), "attach-outbox", application);
		if (Files.isDirectory(former, NOFOLLOW)) {
			logger.warn("Found " + former + ", where earlier versions kept queued mail: nothing is sent from there any"
					+ " more. If it holds this application's mail, check the files, and move each channel's .item files"
					+ " (such as mail/*.item) into the same channel under " + directory + " before the next start");
		}
		return directory;
	}

	/**
	 * Creates the directory, owner-only, when it is missing, and checks that only this user can change it.
	 * @param directory the directory
	 * @return the checked directory
	 * @throws IllegalStateException if another user could change the directory or its items
	 * @throws UncheckedIOException if the directory cannot be created or written
	 */
	static SpoolDirectory open(Path directory) {
		Path absolute = directory.toAbsolutePath().normalize();
		Path parent = absolute.getParent();
		if (parent == null) {
			throw new IllegalStateException(SETTING + " is " + directory + ": give the outbox a directory of its own");
		}
		boolean unix = absolute.getFileSystem().supportedFileAttributeViews().contains("unix");
		try {
			Files.createDirectories(parent, directoryAttributes(unix));
			// Links among the parents are the operator's choice, such as /var -> /private/var; the spool is not.
			Path path = parent.toRealPath().resolve(absolute.getFileName());
			createDirectory(path, unix);
			checkRealDirectory(path);
			if (!unix) {
				return new SpoolDirectory(path, -1);
			}
			int uid = ownerOfNewFile(path);
			SpoolDirectory spool = new SpoolDirectory(path, uid);
			spool.checkDirectory(path);
			spool.checkParents(path.getParent());
			return spool;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot use the outbox directory " + absolute + " (" + ex
					+ "); set " + SETTING + " to a writable directory on a persistent volume", ex);
		}
	}

	Path path() {
		return this.path;
	}

	/**
	 * Creates a directory in the spool, owner-only, or checks the one already there.
	 * @param directory the directory
	 * @return the directory
	 * @throws IllegalStateException if the directory is a link, or another user could change it
	 */
	Path directory(Path directory) {
		try {
			createDirectory(directory, this.uid != -1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the outbox directory " + directory, ex);
		}
		checkDirectory(directory);
		return directory;
	}

	/**
	 * Says why a file found in the spool is not one this application wrote, if it is not.
	 * @param file the file
	 * @return why the file must not be sent, or {@code null} if it is a regular file of this user's that nobody else
	 * can write
	 * @throws IOException if the file cannot be inspected
	 */
	@Nullable String foreign(Path file) throws IOException {
		if (this.uid == -1) {
			return Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW).isRegularFile() ? null
					: "not a regular file";
		}
		Map<String, Object> attributes = Files.readAttributes(file, "unix:mode,uid", NOFOLLOW);
		int mode = attribute(attributes, "mode");
		int owner = attribute(attributes, "uid");
		if ((mode & TYPE) == SYMBOLIC_LINK) {
			return "a symbolic link";
		}
		if ((mode & TYPE) != REGULAR_FILE) {
			return "not a regular file";
		}
		if (owner != this.uid) {
			return "owned by uid " + owner + ", not by uid " + this.uid + " that this application runs as";
		}
		if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
			return "writable by other users (" + permissions(mode) + ")";
		}
		return null;
	}

	// The unix view answers every attribute asked for; one missing means a file system that cannot be trusted.
	private static int attribute(Map<String, Object> attributes, String name) {
		if (!(attributes.get(name) instanceof Integer value)) {
			throw new IllegalStateException("The file system reports no unix " + name + " attribute");
		}
		return value;
	}

	FileAttribute<?>[] fileAttributes() {
		return (this.uid != -1) ? new FileAttribute<?>[] { OWNER_ONLY_FILE } : new FileAttribute<?>[0];
	}

	private void checkDirectory(Path directory) {
		Map<String, Object> attributes = unixAttributes(directory);
		int mode = attribute(attributes, "mode");
		int owner = attribute(attributes, "uid");
		if ((mode & TYPE) == SYMBOLIC_LINK) {
			throw new IllegalStateException("The outbox directory " + directory + " is a symbolic link, which another user could"
					+ " point elsewhere: set " + SETTING + " to the real directory");
		}
		if ((mode & TYPE) != DIRECTORY) {
			throw new IllegalStateException("The outbox directory " + directory + " is not a directory: set " + SETTING
					+ " to a directory");
		}
		if (owner != this.uid) {
			throw new IllegalStateException("The outbox directory " + directory + " is owned by uid " + owner
					+ ", not by uid " + this.uid + " that this application runs as, so another user could put mail"
					+ " in it for the application to send: set " + SETTING + " to a directory of this user's (it is"
					+ " created, owner-only, when missing), or chown it");
		}
		if ((mode & GROUP_OR_OTHERS_WRITE) != 0) {
			throw new IllegalStateException("The outbox directory " + directory + " is writable by other users ("
					+ permissions(mode) + "), who could put mail in it for the application to send: chmod 700 it,"
					+ " or set " + SETTING + " to a directory of its own (it is created, owner-only, when missing)");
		}
		if ((mode & OTHERS_ANY) != 0 && directory.equals(this.path)) {
			logger.warn("The outbox directory " + directory + " can be read by other users (" + permissions(mode)
					+ "), and so can the mail queued in it: chmod 700 it");
		}
	}

	private void checkParents(@Nullable Path parent) {
		for (Path directory = parent; directory != null; directory = directory.getParent()) {
			Map<String, Object> attributes = unixAttributes(directory);
			int mode = attribute(attributes, "mode");
			int owner = attribute(attributes, "uid");
			// Whoever may rename entries of a parent may swap the spool for a directory of their own.
			if (owner != 0 && owner != this.uid) {
				throw new IllegalStateException("The outbox directory " + this.path + " is inside " + directory
						+ ", which is owned by uid " + owner + ", who could replace the outbox directory with one of"
						+ " their own: set " + SETTING + " to a directory whose parents belong to root or to uid "
						+ this.uid + " that this application runs as");
			}
			// Without the sticky bit, anyone who may write a directory may rename what is in it, whoever owns that.
			if ((mode & GROUP_OR_OTHERS_WRITE) != 0 && (mode & STICKY) == 0) {
				String who = ((mode & OTHERS_WRITE) != 0) ? "every user can write to"
						: "every member of its group (gid " + attributes.get("gid") + ") can write to";
				throw new IllegalStateException("The outbox directory " + this.path + " is inside " + directory
						+ ", which " + who + " (" + permissions(mode) + ", without the sticky bit), so they could"
						+ " replace the outbox directory with one of their own: set " + SETTING + " to a directory"
						+ " whose parents only root or uid " + this.uid + " that this application runs as can write"
						+ " (attach creates the missing ones owner-only, 0700), or give " + directory + " the sticky bit"
						+ " (chmod +t), such as in an init container for a Kubernetes volume that fsGroup makes group-writable");
			}
		}
	}

	private static Map<String, Object> unixAttributes(Path path) {
		try {
			return Files.readAttributes(path, "unix:mode,uid,gid", NOFOLLOW);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not inspect the outbox directory " + path, ex);
		}
	}

	private static void createDirectory(Path directory, boolean unix) throws IOException {
		try {
			Files.createDirectory(directory, directoryAttributes(unix));
		}
		catch (FileAlreadyExistsException ex) {
			// Checked by the caller, whoever made it.
		}
	}

	private static void checkRealDirectory(Path directory) {
		if (Files.isSymbolicLink(directory)) {
			throw new IllegalStateException("The outbox directory " + directory + " is a symbolic link, which another"
					+ " user could point elsewhere: set " + SETTING + " to the real directory");
		}
		if (!Files.isDirectory(directory, NOFOLLOW)) {
			throw new IllegalStateException("The outbox directory " + directory + " is not a directory: set "
					+ SETTING + " to a directory");
		}
	}

	// The owner the system gives a file this process creates, which is what the spool's files must have.
	private static int ownerOfNewFile(Path directory) throws IOException {
		Path probe = Files.createTempFile(directory, ".probe-", ".tmp", OWNER_ONLY_FILE);
		try {
			return (Integer) Files.getAttribute(probe, "unix:uid", NOFOLLOW);
		}
		finally {
			Files.delete(probe);
		}
	}

	private static FileAttribute<?>[] directoryAttributes(boolean unix) {
		return unix ? new FileAttribute<?>[] { OWNER_ONLY_DIRECTORY } : new FileAttribute<?>[0];
	}

	private static String permissions(int mode) {
		return String.format("%04o", mode & 07777);
	}

}
