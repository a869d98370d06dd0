package io.attach.outbox;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;

/**
 * Tests for {@link JdbcOutboxStore} on the machine's real MariaDB.
 *
 * @author attach
 */
class MariaDbOutboxStoreIntegrationTests extends JdbcOutboxStoreContractTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		LocalServers.Server server = LocalServers.MARIADB.require();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:mariadb://" + server.host() + ":" + server.port() + "/test");
		dataSource.setUsername("root");
		dataSource.setMaximumPoolSize(6);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Override
	DataSource dataSource() {
		return dataSource;
	}

	@Test
	void whenAnotherTransactionHoldsTheTableThenTheUpgradeGivesWayAndIsTriedAgain(CapturedOutput output)
			throws Exception {
		// A read in an open transaction keeps the table's metadata lock until it ends, which ALTER TABLE waits for.
		assertTheUpgradeGivesWayToATransactionThatHoldsTheTable(output, "SELECT * FROM {table}");
	}

}
