package io.attach.messaging;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tests for {@link Inbox} on the machine's real PostgreSQL.
 *
 * @author attach
 */
class PostgresInboxIntegrationTests extends InboxContractTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		LocalServers.Server server = LocalServers.POSTGRES.require();
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:postgresql://" + server.host() + ":" + server.port() + "/test");
		dataSource.setUsername("postgres");
		dataSource.setMaximumPoolSize(4);
	}

	@AfterAll
	static void close() {
		dataSource.close();
	}

	@Override
	DataSource dataSource() {
		return dataSource;
	}

}
