package io.attach.outbox;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link FileOutboxStore}, on the local disk.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class FileOutboxStoreTests extends OutboxStoreContractTests {

	@TempDir
	Path directory;

	// Any Spring-managed transaction will do: the file store follows its outcome.
	private final EmbeddedDatabase database = new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
		.generateUniqueName(true)
		.build();

	private FileOutboxStore open;

	@AfterEach
	void shutdown() throws Exception {
		this.database.shutdown();
		if (this.open != null) {
			this.open.close();
		}
	}

	// As a restart would: the previous instance lets go of the directory first.
	@Override
	OutboxStore store() {
		if (this.open != null) {
			try {
				this.open.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		this.open = new FileOutboxStore(this.directory);
		return this.open;
	}

	private FileOutboxStore store(SpoolFiles.Opener opener) {
		store();
		try {
			this.open.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		this.open = new FileOutboxStore(this.directory, opener);
		return this.open;
	}

	@Override
	PlatformTransactionManager transactionManager() {
		return new DataSourceTransactionManager(this.database);
	}

	@Test
	void whenItemIsStoredThenItIsOneFileOnDisk() throws Exception {
		store().add("mail", "<1@x>", bytes("one"));
		try (var files = Files.list(this.directory.resolve("mail"))) {
			assertThat(files.filter(Files::isRegularFile).map((file) -> file.getFileName().toString()))
				.containsExactly("0000000000000000001.item");
		}
	}

	@Test
	void whenAnotherStoreHoldsTheDirectoryThenOpeningItFailsNamingIt() {
		store();
		assertThatIllegalStateException().isThrownBy(() -> new FileOutboxStore(this.directory))
			.withMessageContaining(this.directory.toString())
			.withMessageContaining("attach.outbox.directory");
	}

	@Test
	void whenAnItemFileDisappearsThenTheNextOnesAreStillDelivered() throws Exception {
		OutboxStore store = store();
		store.add("mail", "<gone@x>", bytes("gone"));
		store.add("mail", "<kept@x>", bytes("kept"));
		Files.delete(this.directory.resolve("mail/0000000000000000001.item"));
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<kept@x>");
	}

	@Test
	void whenAnItemFileIsCorruptThenItIsParkedAndTheNextOnesAreDelivered() throws Exception {
		OutboxStore store = store();
		store.add("mail", "<corrupt@x>", bytes("corrupt"));
		store.add("mail", "<kept@x>", bytes("kept"));
		Files.write(this.directory.resolve("mail/0000000000000000001.item"), bytes("not an outbox item"));
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<kept@x>");
		assertThat(store.stats("mail").parked()).isEqualTo(1);
		assertThat(store().stats("mail").parked()).isEqualTo(1);
	}

	@Test
	void whenTheDirectoryHoldsForeignEntriesThenTheyAreLeftAlone() throws Exception {
		Files.createDirectories(this.directory.resolve("lost+found"));
		// Named like an item, in a directory that is no channel: a store that read every directory would take it.
		Path recovered = this.directory.resolve("lost+found/0000000000000000001.item");
		Files.write(recovered, bytes("recovered by fsck"));
		Files.createDirectories(this.directory.resolve("mail"));
		Files.write(this.directory.resolve("mail/notes.txt"), bytes("mine"));
		OutboxStore store = store();
		assertThat(store.stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
		assertThat(this.directory.resolve("lost+found")).isDirectoryContaining((file) -> file.equals(recovered));
		assertThat(recovered).hasContent("recovered by fsck");
		assertThat(this.directory.resolve("mail/notes.txt")).hasContent("mine");
		assertThat(this.directory.resolve("mail")).isDirectoryNotContaining("glob:**/{rejected,parked}");
	}

	@Test
	void whenTheApplicationStoppedDuringACommitThenTheItemIsParkedNotLostNorSent() throws Exception {
		FileOutboxStore store = (FileOutboxStore) store();
		new TransactionTemplate(transactionManager()).executeWithoutResult((status) -> {
			store.add("mail", "<in-doubt@x>", bytes("in doubt"));
			// A restart now, before the commit: what the next run finds on disk.
			OutboxStore restarted = store();
			assertThat(restarted.stats("mail").parked()).isEqualTo(1);
			assertThat(restarted.claim("mail", 10, LEASE)).isEmpty();
			status.setRollbackOnly();
		});
		assertThat(this.directory.resolve("mail/parked/0000000000000000001.reason")).content()
			.contains("application stopped while it committed");
	}

	@Test
	void whenWritesComeBackShortThenTheItemIsStillWrittenToItsLastByte() {
		// As a file system may do under memory pressure, or on a full disk just before it refuses more.
		OutboxStore store = store((file, options, attributes) -> new FaultyFileChannel(
				FileChannel.open(file, options, attributes), 7, -1));
		byte[] payload = bytes("Subject: a mail longer than one short write\r\n\r\nbody");
		store.add("mail", "<1@x>", payload);
		assertThat(store.claim("mail", 10, LEASE)).singleElement()
			.satisfies((item) -> assertThat(item.payload()).isEqualTo(payload));
		assertThat(store().claim("mail", 10, LEASE)).singleElement()
			.satisfies((item) -> assertThat(item.payload()).isEqualTo(payload));
	}

	@Test
	void whenTheDiskFillsDuringAWriteThenTheCallerIsToldAndNothingIsLeftBehind() throws Exception {
		OutboxStore store = store((file, options, attributes) -> new FaultyFileChannel(
				FileChannel.open(file, options, attributes), Integer.MAX_VALUE, 10));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> store.add("mail", "<1@x>", bytes("a mail the disk has no room for")))
			.withMessageContaining("Could not write an outbox item")
			.withStackTraceContaining("No space left on device");
		assertThat(itemFiles()).isEmpty();
		assertThat(store.stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
		assertThat(store().stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
	}

	@Test
	void whenTheDiskFillsDuringAWriteInATransactionThenTheCallerIsToldAndNothingIsParkedLater() throws Exception {
		OutboxStore store = store((file, options, attributes) -> new FaultyFileChannel(
				FileChannel.open(file, options, attributes), Integer.MAX_VALUE, 0));
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> new TransactionTemplate(transactionManager())
				.executeWithoutResult((status) -> store.add("mail", "<1@x>", bytes("no room"))));
		assertThat(itemFiles()).isEmpty();
		assertThat(store().stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
	}

	@Test
	void whenAWriteWasCutShortByACrashThenTheNextRunRemovesItWithAWarningInsteadOfParkingIt(CapturedOutput output)
			throws Exception {
		store().add("mail", "<1@x>", bytes("one"));
		byte[] whole = Files.readAllBytes(this.directory.resolve("mail/0000000000000000001.item"));
		Path cut = Files.write(this.directory.resolve("mail/0000000000000000002.pending"),
				Arrays.copyOf(whole, whole.length / 2));
		OutboxStore restarted = store();
		assertThat(restarted.stats("mail").parked()).isZero();
		assertThat(restarted.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
		assertThat(cut).doesNotExist();
		assertThat(output).contains("Truncated outbox item " + cut).contains("its write never completed");
	}

	@Test
	void whenAnItemFileIsTruncatedThenTheNextRunParksItCountsItAndSaysSo(CapturedOutput output) throws Exception {
		store().add("mail", "<cut@x>", bytes("a mail cut short on disk"));
		store().add("mail", "<kept@x>", bytes("kept"));
		Path item = this.directory.resolve("mail/0000000000000000001.item");
		byte[] whole = Files.readAllBytes(item);
		Files.write(item, Arrays.copyOf(whole, whole.length - 5));
		OutboxStore restarted = store();
		assertThat(restarted.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<kept@x>");
		assertThat(restarted.stats("mail").parked()).isEqualTo(1);
		assertThat(output).contains("Truncated outbox item " + item).contains("it cannot be sent, and is parked");
		assertThat(this.directory.resolve("mail/parked/0000000000000000001.reason")).content()
			.contains("Truncated outbox item");
	}

	@Test
	void whenAnItemsBytesChangeOnDiskThenItIsParkedNotSent(CapturedOutput output) throws Exception {
		OutboxStore store = store();
		store.add("mail", "<changed@x>", bytes("To: ada@example.com"));
		Path item = this.directory.resolve("mail/0000000000000000001.item");
		byte[] bytes = Files.readAllBytes(item);
		// The same length, one byte different: only a checksum tells.
		bytes[bytes.length - 10] ^= 0x01;
		Files.write(item, bytes);
		assertThat(store.claim("mail", 10, LEASE)).isEmpty();
		assertThat(store.stats("mail").parked()).isEqualTo(1);
		assertThat(output).contains("does not match its checksum");
	}

	@Test
	void whenAnItemWasWrittenByAnEarlierVersionThenItIsStillDelivered() throws Exception {
		// The format before items had a length and a checksum: 'ATO1', id, enqueued at, payload length, payload.
		ByteArrayOutputStream old = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(old)) {
			out.writeInt(0x41544f31);
			out.writeUTF("<old@x>");
			out.writeLong(1_700_000_000_000L);
			out.writeInt(3);
			out.write(bytes("old"));
		}
		Files.createDirectories(this.directory.resolve("mail"));
		Files.write(this.directory.resolve("mail/0000000000000000007.item"), old.toByteArray());
		OutboxStore store = store();
		assertThat(store.claim("mail", 10, LEASE)).singleElement().satisfies((item) -> {
			assertThat(item.id()).isEqualTo("<old@x>");
			assertThat(text(item.payload())).isEqualTo("old");
		});
		store.add("mail", "<new@x>", bytes("new"));
		assertThat(this.directory.resolve("mail/0000000000000000008.item")).exists();
	}

	@Test
	void whenLeasedItemsAreReleasedAndTheStoreClosedThenTheNextStoreClaimsThemAtOnce() throws Exception {
		// What a graceful stop does: the relay gives back what it did not finish, then the store lets go.
		FileOutboxStore stopping = (FileOutboxStore) store();
		stopping.add("mail", "<1@x>", bytes("one"));
		stopping.add("mail", "<2@x>", bytes("two"));
		List<OutboxItem> leased = stopping.claim("mail", 10, Duration.ofHours(1));
		stopping.release("mail", leased);
		stopping.close();
		try (FileOutboxStore next = new FileOutboxStore(this.directory)) {
			assertThat(next.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>", "<2@x>");
		}
	}

	@Test
	void whenTheStoreIsClosedThenAddingFailsInsteadOfWritingIntoADirectoryItNoLongerHolds() throws Exception {
		FileOutboxStore store = (FileOutboxStore) store();
		store.close();
		store.close();
		assertThatIllegalStateException().isThrownBy(() -> store.add("mail", "<late@x>", bytes("late")))
			.withMessageContaining("closed");
		assertThat(itemFiles()).isEmpty();
	}

	private List<Path> itemFiles() throws Exception {
		try (Stream<Path> files = Files.walk(this.directory)) {
			return files.filter(Files::isRegularFile).filter(SpoolFiles::isItem).toList();
		}
	}

}
