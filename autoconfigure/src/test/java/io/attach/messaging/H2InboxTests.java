package io.attach.messaging;

import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Tests for {@link Inbox} on H2.
 *
 * @author attach
 */
class H2InboxTests extends InboxContractTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:h2:mem:inbox_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		dataSource.setUsername("sa");
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
