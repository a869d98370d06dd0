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

	@AfterEach
	void shutdown() {
		this.database.shutdown();
	}

	@Override
	OutboxStore store() {
		return new FileOutboxStore(this.directory);
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
	void whenTheApplicationStoppedDuringACommitThenTheItemIsParkedNotLostNorSent() throws Exception {
		FileOutboxStore store = new FileOutboxStore(this.directory);
		new TransactionTemplate(transactionManager()).executeWithoutResult((status) -> {
			store.add("mail", "<in-doubt@x>", bytes("in doubt"));
			// A restart now, before the commit: what the next run finds on disk.
			OutboxStore restarted = store();
			assertThat(restarted.stats("mail").parked()).isEqualTo(1);
			assertThat(restarted.claim("mail", 10, LEASE)).isEmpty();
			status.setRollbackOnly();
		});
		assertThat(this.directory.resolve("mail/parked/0000000000000000001.reason")).content()
			.contains("stopped while the transaction");
	}

}
