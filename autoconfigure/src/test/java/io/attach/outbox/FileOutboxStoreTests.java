package io.attach.outbox;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link FileOutboxStore}, on the local disk.
 *
 * @author attach
 */
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
		Files.createDirectories(this.directory.resolve("mail"));
		Files.write(this.directory.resolve("mail/notes.txt"), bytes("mine"));
		OutboxStore store = store();
		assertThat(store.stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
		assertThat(this.directory.resolve("lost+found")).isEmptyDirectory();
		assertThat(this.directory.resolve("mail/notes.txt")).exists();
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

}
