package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LocalTempFile}: once its content is in place, failing to clean up after it does not turn a stored
 * file into a failed write.
 *
 * @author attach
 */
class LocalTempFileTests {

	@TempDir
	Path directory;

	@Test
	void aTemporaryNameThatCannotBeRemovedAfterTheLinkDoesNotFailTheWrite() throws IOException {
		LocalTree tree = new LocalTree(this.directory.resolve("root"));
		Path target = tree.data("a.txt");
		LocalTempFile temp = LocalTempFile.create(tree);
		temp.write(new ByteArrayInputStream(new byte[] { 1, 2, 3 }));
		temp.linkTo(target);
		occupy(temp.path());
		temp.close();
		assertThat(target).hasBinaryContent(new byte[] { 1, 2, 3 });
	}

	@Test
	void aTemporaryNameThatCannotBeRemovedBeforeAnyCommitFailsTheWrite() throws IOException {
		LocalTree tree = new LocalTree(this.directory.resolve("root"));
		LocalTempFile temp = LocalTempFile.create(tree);
		temp.write(new ByteArrayInputStream(new byte[] { 1 }));
		occupy(temp.path());
		assertThatExceptionOfType(DirectoryNotEmptyException.class).isThrownBy(temp::close);
	}

	// Root may delete any file, so a directory that is not empty, in the temporary name's place, is what fails here.
	private static void occupy(Path path) throws IOException {
		Files.delete(path);
		Files.createDirectory(path);
		Files.createFile(path.resolve("occupied"));
	}

}
