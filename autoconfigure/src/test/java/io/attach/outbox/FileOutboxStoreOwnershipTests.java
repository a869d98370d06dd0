package io.attach.outbox;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.attach.outbox.OutboxStoreContractTests.LEASE;
import static io.attach.outbox.OutboxStoreContractTests.bytes;
import static io.attach.outbox.OutboxStoreContractTests.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests that a {@link FileOutboxStore} keeps its spool to the user the application runs as: another local user can
 * neither take the directory over, nor plant items that the relay would send, nor redirect its files with links.
 * The tests run as root, like CI, and play the other user with uid 65534 (nobody).
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class FileOutboxStoreOwnershipTests {

	private static final int OTHER_USER = 65534;

	@TempDir
	Path root;

	private FileOutboxStore open;

	@AfterEach
	void close() throws Exception {
		if (this.open != null) {
			this.open.close();
		}
	}

	@Test
	void whenTheDirectoryBelongsToAnotherUserThenTheStoreRefusesToStartNamingTheSetting() throws Exception {
		Path spool = Files.createDirectory(this.root.resolve("spool"));
		Files.setAttribute(spool, "unix:uid", OTHER_USER);
		assertThatIllegalStateException().isThrownBy(() -> open(spool))
			.withMessageContaining(spool.toString())
			.withMessageContaining("owned by uid " + OTHER_USER)
			.withMessageContaining("attach.outbox.directory");
	}

	@Test
	void whenTheDirectoryIsWritableByItsGroupThenTheStoreRefusesToStart() throws Exception {
		Path spool = Files.createDirectory(this.root.resolve("spool"));
		Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwx---"));
		assertThatIllegalStateException().isThrownBy(() -> open(spool))
			.withMessageContaining("writable by other users (0770)")
			.withMessageContaining("attach.outbox.directory");
	}

	@Test
	void whenTheDirectoryIsWritableByEveryoneThenTheStoreRefusesToStart() throws Exception {
		Path spool = Files.createDirectory(this.root.resolve("spool"));
		Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIllegalStateException().isThrownBy(() -> open(spool))
			.withMessageContaining("writable by other users (0777)")
			.withMessageContaining("attach.outbox.directory");
	}

	@Test
	void whenTheDirectoryIsASymbolicLinkThenTheStoreRefusesToStart() throws Exception {
		Path elsewhere = Files.createDirectory(this.root.resolve("elsewhere"));
		Path spool = Files.createSymbolicLink(this.root.resolve("spool"), elsewhere);
		assertThatIllegalStateException().isThrownBy(() -> open(spool))
			.withMessageContaining("symbolic link")
			.withMessageContaining("attach.outbox.directory");
		assertThat(elsewhere).isEmptyDirectory();
	}

	@Test
	void whenAParentBelongsToAnotherUserThenTheStoreRefusesToStart() throws Exception {
		// As when someone else created <tmp>/attach-outbox first: they could swap the spool for one of theirs.
		Path shared = Files.createDirectory(this.root.resolve("attach-outbox"));
		Files.setAttribute(shared, "unix:uid", OTHER_USER);
		assertThatIllegalStateException().isThrownBy(() -> open(shared.resolve("app")))
			.withMessageContaining("inside " + shared + ", which is owned by uid " + OTHER_USER)
			.withMessageContaining("attach.outbox.directory");
	}

	@Test
	void whenAParentIsWritableByEveryoneWithoutTheStickyBitThenTheStoreRefusesToStart() throws Exception {
		Path shared = Files.createDirectory(this.root.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		assertThatIllegalStateException().isThrownBy(() -> open(shared.resolve("app")))
			.withMessageContaining("inside " + shared + ", which every user can write to")
			.withMessageContaining("attach.outbox.directory");
	}

	@Test
	void whenTheStoreCreatesDirectoriesAndFilesThenOnlyItsUserCanReadOrWriteThem() throws Exception {
		Path spool = this.root.resolve("var/outbox/app");
		FileOutboxStore store = open(spool);
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		store.park("mail", store.claim("mail", 1, LEASE).get(0), "550 no such user");
		assertThat(permissions(this.root.resolve("var"))).isEqualTo("rwx------");
		assertThat(permissions(this.root.resolve("var/outbox"))).isEqualTo("rwx------");
		assertThat(permissions(spool)).isEqualTo("rwx------");
		assertThat(permissions(spool.resolve(".lock"))).isEqualTo("rw-------");
		assertThat(permissions(spool.resolve("mail"))).isEqualTo("rwx------");
		assertThat(permissions(spool.resolve("mail/0000000000000000002.item"))).isEqualTo("rw-------");
		assertThat(permissions(spool.resolve("mail/parked"))).isEqualTo("rwx------");
		assertThat(permissions(spool.resolve("mail/parked/0000000000000000001.item"))).isEqualTo("rw-------");
		assertThat(permissions(spool.resolve("mail/parked/0000000000000000001.reason"))).isEqualTo("rw-------");
	}

	@Test
	void whenAnItemBelongsToAnotherUserThenItIsNeverClaimedAndIsSetAsideWithAWarning(CapturedOutput output)
			throws Exception {
		Path spool = this.root.resolve("spool");
		Path planted = plantCopyOfAnItem(spool, "<planted@x>", "0000000000000000002.item");
		Files.setAttribute(planted, "unix:uid", OTHER_USER);
		FileOutboxStore store = open(spool);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<ours@x>");
		assertThat(store.stats("mail").queued()).isEqualTo(1);
		assertThat(store.stats("mail").parked()).isZero();
		assertThat(planted).doesNotExist();
		assertThat(spool.resolve("mail/rejected/0000000000000000002.item")).exists();
		assertThat(output).contains(planted + " is owned by uid " + OTHER_USER).contains("never sent");
		// Later items do not take the planted one's name.
		store.add("mail", "<next@x>", bytes("next"));
		assertThat(spool.resolve("mail/0000000000000000003.item")).exists();
	}

	@Test
	void whenAnItemIsWritableByOtherUsersThenItIsNeverClaimed(CapturedOutput output) throws Exception {
		Path spool = this.root.resolve("spool");
		Path planted = plantCopyOfAnItem(spool, "<planted@x>", "0000000000000000002.item");
		Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
		FileOutboxStore store = open(spool);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<ours@x>");
		assertThat(output).contains(planted + " is writable by other users (0666)");
	}

	@Test
	void whenAnItemIsASymbolicLinkThenItIsNeverClaimedAndItsTargetIsLeftAlone(CapturedOutput output)
			throws Exception {
		Path spool = this.root.resolve("spool");
		Path planted = plantCopyOfAnItem(spool, "<planted@x>", "0000000000000000002.item");
		Path target = Files.move(planted, this.root.resolve("elsewhere.item"));
		Path link = Files.createSymbolicLink(planted, target);
		FileOutboxStore store = open(spool);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<ours@x>");
		assertThat(Files.isSymbolicLink(spool.resolve("mail/rejected/0000000000000000002.item"))).isTrue();
		assertThat(target).exists();
		assertThat(output).contains(link + " is a symbolic link");
	}

	@Test
	void whenAParkedItemBelongsToAnotherUserThenItIsNeitherCountedNorRequeued() throws Exception {
		Path spool = this.root.resolve("spool");
		Path planted = plantCopyOfAnItem(spool, "<planted@x>", "parked/0000000000000000002.item");
		Files.setAttribute(planted, "unix:uid", OTHER_USER);
		FileOutboxStore store = open(spool);
		assertThat(store.stats("mail").parked()).isZero();
		assertThat(store.requeueParked("mail")).isZero();
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<ours@x>");
	}

	@Test
	void whenTheReasonFileIsASymbolicLinkThenParkingReplacesTheLinkAndLeavesItsTargetAlone() throws Exception {
		Path spool = this.root.resolve("spool");
		FileOutboxStore store = open(spool);
		store.add("mail", "<bad@x>", bytes("bad"));
		Path target = Files.writeString(this.root.resolve("precious.conf"), "keep me");
		Path parked = Files.createDirectories(spool.resolve("mail/parked"));
		Path reason = Files.createSymbolicLink(parked.resolve("0000000000000000001.reason"), target);
		store.park("mail", store.claim("mail", 1, LEASE).get(0), "550 no such user");
		assertThat(target).content().isEqualTo("keep me");
		assertThat(Files.isSymbolicLink(reason)).isFalse();
		assertThat(reason).content().isEqualTo("550 no such user");
	}

	// Writes <ours@x> as item 1, and a valid item 2, <planted@x>, moved to the given path under mail/.
	private Path plantCopyOfAnItem(Path spool, String id, String name) throws Exception {
		FileOutboxStore store = open(spool);
		store.add("mail", "<ours@x>", bytes("ours"));
		store.add("mail", id, bytes("planted"));
		store.close();
		this.open = null;
		Path planted = spool.resolve("mail").resolve(name);
		Files.createDirectories(planted.getParent());
		Files.move(spool.resolve("mail/0000000000000000002.item"), planted, StandardCopyOption.REPLACE_EXISTING);
		assertThat(text(SpoolFiles.read(planted, 0).payload())).isEqualTo("planted");
		return planted;
	}

	private FileOutboxStore open(Path spool) {
		this.open = new FileOutboxStore(spool);
		return this.open;
	}

	private static String permissions(Path path) throws Exception {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
	}

}
