package io.attach.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LocalFileStorage} beyond the {@link FileStorageContractTests contract}: where files go, what it
 * refuses, and what it cleans up.
 *
 * @author attach
 */
class LocalFileStorageTests {

	@TempDir
	Path directory;

	private LocalFileStorage storage(Path root) throws IOException {
		return new LocalFileStorage(new LocalTree(root), new LocalUrlSigner(new byte[32], "/files", Clock.systemUTC()),
				() -> null, false);
	}

	private LocalFileStorage storage() throws IOException {
		return storage(this.directory.resolve("root"));
	}

	@Test
	void filesArePlainFilesAtTheirKeyWithTheirMetadataInTheReservedTree() throws IOException {
		LocalFileStorage storage = storage();
		storage.put("avatars/42.png", "png".getBytes(StandardCharsets.UTF_8),
				PutOptions.defaults().withContentType("image/png").withMetadata("owner", "42"));
		Path root = this.directory.resolve("root");
		assertThat(root.resolve("avatars/42.png")).hasContent("png");
		assertThat(root.resolve(".attach/meta/avatars/42.png")).content()
			.contains("content-type=image/png")
			.contains("metadata.owner=42");
	}

	@Test
	void filesAndDirectoriesAreTheOwnersOnly() throws IOException {
		LocalFileStorage storage = storage();
		storage.put("a/b/c.txt", new byte[] { 1 }, PutOptions.defaults());
		Path root = this.directory.resolve("root");
		assertThat(permissions(root)).isEqualTo("rwx------");
		assertThat(permissions(root.resolve("a"))).isEqualTo("rwx------");
		assertThat(permissions(root.resolve("a/b"))).isEqualTo("rwx------");
		assertThat(permissions(root.resolve("a/b/c.txt"))).isEqualTo("rw-------");
		assertThat(permissions(root.resolve(".attach/meta/a/b/c.txt"))).isEqualTo("rw-------");
		assertThat(permissions(root.resolve(".attach/tmp"))).isEqualTo("rwx------");
	}

	private static String permissions(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

	@Test
	void aKeyThatWouldResolveOutsideTheRootIsRefusedEvenPastTheGrammar() throws IOException {
		LocalTree tree = new LocalTree(this.directory.resolve("root"));
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> tree.data("../outside"))
			.withMessageContaining("outside");
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> tree.data("a/../../outside"));
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> tree.data("/etc/passwd"));
	}

	@Test
	void aSymbolicLinkToADirectoryIsNeverFollowed() throws IOException {
		LocalFileStorage storage = storage();
		Path outside = Files.createDirectories(this.directory.resolve("outside"));
		Files.writeString(outside.resolve("secret"), "secret");
		Files.createSymbolicLink(this.directory.resolve("root/linked"), outside);
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.stat("linked/secret"))
			.withMessageContaining("symbolic link");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.open("linked/secret"))
			.withMessageContaining("symbolic link");
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> storage.put("linked/new", new byte[] { 1 }, PutOptions.defaults()))
			.withMessageContaining("symbolic link");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.delete("linked/secret"));
		assertThat(outside.resolve("secret")).hasContent("secret");
		assertThat(outside.resolve("new")).doesNotExist();
		try (Stream<StoredFile> listed = storage.list("")) {
			assertThat(listed).isEmpty();
		}
	}

	@Test
	void aSymbolicLinkToAFileIsNeitherReadNorReplaced() throws IOException {
		LocalFileStorage storage = storage();
		Path outside = Files.writeString(this.directory.resolve("secret"), "secret");
		Path link = Files.createSymbolicLink(this.directory.resolve("root/link"), outside);
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.open("link"))
			.withMessageContaining("symbolic link");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.exists("link"));
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> storage.put("link", "mine".getBytes(StandardCharsets.UTF_8), PutOptions.defaults()));
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> storage.delete("link"));
		assertThat(outside).hasContent("secret");
		assertThat(Files.isSymbolicLink(link)).isTrue();
		assertThat(Files.list(this.directory.resolve("root/.attach/tmp"))).isEmpty();
	}

	@Test
	void leftoversOfACrashedWriteAreSweptAtStartup() throws IOException {
		Path root = this.directory.resolve("root");
		storage(root);
		Path leftover = Files.writeString(root.resolve(".attach/tmp/crashed.tmp"), "half a file");
		storage(root);
		assertThat(leftover).doesNotExist();
	}

	@Test
	void aWriteInProgressIsNotSweptByAnotherStorageOnTheSameRoot() throws IOException {
		Path root = this.directory.resolve("root");
		storage(root);
		Path live = root.resolve(".attach/tmp/live.tmp");
		try (FileChannel channel = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
				FileLock lock = channel.lock()) {
			storage(root);
			assertThat(live).exists();
		}
	}

	@Test
	void aSidecarThatDescribesAnotherFileIsIgnored() throws IOException {
		LocalFileStorage storage = storage();
		storage.put("report.csv", "a,b".getBytes(StandardCharsets.UTF_8),
				PutOptions.defaults().withContentType("text/csv").withMetadata("rows", "1"));
		// Replaced by other means (an operator, or a crash between the file's rename and its sidecar's).
		Path file = this.directory.resolve("root/report.csv");
		Path replacement = Files.writeString(this.directory.resolve("replacement"), "other content");
		Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		StoredFile stat = storage.stat("report.csv");
		assertThat(stat.size()).isEqualTo("other content".length());
		assertThat(stat.contentType()).isEqualTo("application/octet-stream");
		assertThat(stat.metadata()).isEmpty();
		assertThat(stat.sha256()).isNull();
	}

	@Test
	void aFilePutInTheRootByOtherMeansIsListedAndReadWithoutMetadata() throws IOException {
		LocalFileStorage storage = storage();
		Files.createDirectories(this.directory.resolve("root/imports"));
		Files.writeString(this.directory.resolve("root/imports/legacy.txt"), "legacy");
		Files.writeString(this.directory.resolve("root/imports/bad\\name"), "unnamable");
		try (Stream<StoredFile> listed = storage.list("")) {
			assertThat(listed.map(StoredFile::key)).containsExactly("imports/legacy.txt");
		}
		assertThat(storage.stat("imports/legacy.txt").sha256()).isNull();
		try (InputStream in = storage.open("imports/legacy.txt")) {
			assertThat(in.readAllBytes()).isEqualTo("legacy".getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void aFileAndKeysBelowItsNameCannotCoexistAndTheErrorSaysWhy() throws IOException {
		LocalFileStorage storage = storage();
		storage.put("a", new byte[] { 1 }, PutOptions.defaults());
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> storage.put("a/b", new byte[] { 2 }, PutOptions.defaults()))
			.withMessageContaining("a is a file");
		storage.put("c/d", new byte[] { 1 }, PutOptions.defaults());
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> storage.put("c", new byte[] { 2 }, PutOptions.defaults()))
			.withMessageContaining("other keys start with 'c/'");
		assertThat(storage.exists("a/b")).isFalse();
		assertThat(storage.exists("c")).isFalse();
		assertThatExceptionOfType(StorageFileNotFoundException.class).isThrownBy(() -> storage.stat("a/b"));
		assertThatExceptionOfType(StorageFileNotFoundException.class).isThrownBy(() -> storage.stat("c"));
		storage.delete("c");
		assertThat(storage.exists("c/d")).isTrue();
		assertThat(Files.list(this.directory.resolve("root/.attach/tmp"))).isEmpty();
	}

	@Test
	void deletePrunesEmptyDirectoriesButNeverTheRoot() throws IOException {
		LocalFileStorage storage = storage();
		storage.put("x/y/z", new byte[] { 1 }, PutOptions.defaults());
		storage.put("x/kept", new byte[] { 1 }, PutOptions.defaults());
		storage.delete("x/y/z");
		Path root = this.directory.resolve("root");
		assertThat(root.resolve("x/y")).doesNotExist();
		assertThat(root.resolve(".attach/meta/x/y")).doesNotExist();
		assertThat(root.resolve("x/kept")).exists();
		storage.delete("x/kept");
		assertThat(root.resolve("x")).doesNotExist();
		assertThat(root).isDirectory();
		assertThat(root.resolve(".attach/meta")).isDirectory();
	}

	@Test
	void capabilitiesNameTheRootAndWhetherThisApplicationServesUrls() throws IOException {
		StorageCapabilities capabilities = storage().capabilities();
		assertThat(capabilities.backend()).isEqualTo("local");
		assertThat(capabilities.location()).isEqualTo(this.directory.resolve("root").toRealPath().toString());
		assertThat(capabilities.presignedUrls()).isFalse();
		assertThat(capabilities.serverSideCopy()).isFalse();
	}

	@Test
	void presignedUrlsAreRelativeWithoutABase() throws IOException {
		assertThat(storage().presignGet("a b/ü", java.time.Duration.ofMinutes(1)).toString())
			.startsWith("/files/a%20b/%C3%BC?expires=");
		LocalFileStorage based = new LocalFileStorage(new LocalTree(this.directory.resolve("other")),
				new LocalUrlSigner(new byte[32], "/files", Clock.systemUTC()), () -> "https://files.example.com/app/",
				true);
		assertThat(based.presignGet("k", java.time.Duration.ofMinutes(1)).toString())
			.startsWith("https://files.example.com/app/files/k?expires=");
	}

}
