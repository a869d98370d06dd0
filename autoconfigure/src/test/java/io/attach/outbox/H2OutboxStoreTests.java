package io.attach.outbox;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;

import org.springframework.jdbc.datasource.embedded.EmbeddedDatabase;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseBuilder;
import org.springframework.jdbc.datasource.embedded.EmbeddedDatabaseType;

/**
 * Tests for {@link JdbcOutboxStore} on H2, whose DDL is the SQL-standard form.
 *
 * @author attach
 */
class H2OutboxStoreTests extends JdbcOutboxStoreContractTests {

	private final EmbeddedDatabase database = new EmbeddedDatabaseBuilder().setType(EmbeddedDatabaseType.H2)
		.generateUniqueName(true)
		.build();

	@AfterEach
	void shutdown() {
		this.database.shutdown();
	}

	@Override
	DataSource dataSource() {
		return this.database;
	}

}
