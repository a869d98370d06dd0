package io.attach.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link JdbcOutboxStore} on the machine's real PostgreSQL, also with a database user that may only read
 * and write the table.
 *
 * @author attach
 */
class PostgresOutboxStoreIntegrationTests extends JdbcOutboxStoreContractTests {

	private static HikariDataSource dataSource;

	@BeforeAll
	static void connect() {
		dataSource = dataSource("postgres");
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
	void whenTheUserMayOnlyReadAndWriteTheTableThenItsItemsAreDelivered() {
		try (LeastPrivilege user = new LeastPrivilege()) {
			assertThat(new JdbcOutboxStore(dataSource, user.table, "shop").initialize()).isTrue();
			user.grantReadWrite();
			JdbcOutboxStore store = user.store();
			assertThat(store.initialize()).isTrue();
			store.add("mail", "<1@x>", bytes("one"));
			store.add("mail", "<2@x>", bytes("two"));
			Map<String, OutboxItem> delivered = new ConcurrentHashMap<>();
			OutboxRelay relay = new OutboxRelay("mail", store, () -> new OutboxDelivery.Connection() {

				@Override
				public void deliver(OutboxItem item) {
					delivered.put(item.id(), item);
				}

				@Override
				public void close() {
				}

			}, null, new AttachOutboxProperties(), store::initialize, OutboxListener.NONE);
			relay.start();
			try {
				await().atMost(Duration.ofSeconds(20)).until(() -> store.stats("mail").queued() == 0);
			}
			finally {
				relay.stop();
			}
			assertThat(delivered).containsOnlyKeys("<1@x>", "<2@x>");
		}
	}

	@Test
	void whenTheTableIsMissingAndTheUserMayNotCreateItThenTheWarningGivesTheStatementsThatWork(
			CapturedOutput output) {
		try (LeastPrivilege user = new LeastPrivilege()) {
			JdbcOutboxStore store = user.store();
			assertThat(store.initialize()).isFalse();
			List<String> ddl = store.createTable("PostgreSQL");
			assertThat(output).contains("permission denied", String.join("; ", ddl));
			// What the warning asks of an administrator is enough.
			ddl.forEach(new JdbcTemplate(dataSource)::execute);
			user.grantReadWrite();
			assertThat(store.initialize()).isTrue();
			store.add("mail", "<1@x>", bytes("one"));
			assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
		}
	}

	@Test
	void whenTheTableIsFromBeforeApplicationsAndTheUserMayNotAlterItThenTheWarningGivesTheStatements(
			CapturedOutput output) {
		try (LeastPrivilege user = new LeastPrivilege()) {
			JdbcTemplate owner = new JdbcTemplate(dataSource);
			owner.execute(new JdbcOutboxStore(dataSource, user.table, "shop").createTable("PostgreSQL")
				.get(0)
				.replace(" application VARCHAR(128) NOT NULL,", ""));
			user.grantReadWrite();
			JdbcOutboxStore store = user.store();
			assertThat(store.initialize()).isFalse();
			String alter = "ALTER TABLE " + user.table + " ADD COLUMN application VARCHAR(128)";
			assertThat(output).contains(alter);
			owner.execute(alter);
			assertThat(store.initialize()).isTrue();
		}
	}

	@Test
	void whenTheUserMayNotReadTheTableThenTheWarningGivesTheGrantAndNothingIsCreated(CapturedOutput output) {
		try (LeastPrivilege user = new LeastPrivilege()) {
			assertThat(new JdbcOutboxStore(dataSource, user.table, "shop").initialize()).isTrue();
			// It may create tables: CREATE TABLE IF NOT EXISTS would succeed, and change nothing.
			user.admin.execute("GRANT CREATE ON SCHEMA " + user.name + " TO " + user.name);
			JdbcOutboxStore store = user.store();
			assertThat(store.initialize()).isFalse();
			assertThat(output).contains("may not use the outbox table " + user.table, "permission denied",
					"GRANT SELECT, INSERT, UPDATE, DELETE ON " + user.table + " TO " + user.name);
			assertThat(output.getOut().split(Pattern.quote("Outbox table " + user.table + " created"), -1))
				.as("created once, by the administrator")
				.hasSize(2);
			user.grantReadWrite();
			assertThat(store.initialize()).isTrue();
			store.add("mail", "<1@x>", bytes("one"));
			assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
		}
	}

	@Test
	void whenAnotherTransactionHoldsTheTableThenTheUpgradeGivesWayAndIsTriedAgain(CapturedOutput output)
			throws Exception {
		// Any lock at all: ALTER TABLE needs the table to itself, and PostgreSQL queues every later statement behind it.
		assertTheUpgradeGivesWayToATransactionThatHoldsTheTable(output, "LOCK TABLE {table} IN ACCESS SHARE MODE");
	}

	private static HikariDataSource dataSource(String user) {
		LocalServers.Server server = LocalServers.POSTGRES.require();
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:postgresql://" + server.host() + ":" + server.port() + "/test");
		dataSource.setUsername(user);
		dataSource.setMaximumPoolSize(6);
		return dataSource;
	}

	/**
	 * A schema owned by the test's administrator and a role that may use it but not change it, dropped at the end.
	 */
	private static final class LeastPrivilege implements AutoCloseable {

		private final String name = "attach_lp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

		private final String table = this.name + ".attach_outbox";

		private final JdbcTemplate admin = new JdbcTemplate(dataSource);

		private final HikariDataSource userDataSource;

		LeastPrivilege() {
			this.admin.execute("CREATE SCHEMA " + this.name);
			this.admin.execute("CREATE ROLE " + this.name + " LOGIN");
			this.admin.execute("GRANT USAGE ON SCHEMA " + this.name + " TO " + this.name);
			this.userDataSource = dataSource(this.name);
		}

		void grantReadWrite() {
			this.admin.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + this.table + " TO " + this.name);
		}

		JdbcOutboxStore store() {
			return new JdbcOutboxStore(this.userDataSource, this.table, "shop");
		}

		@Override
		public void close() {
			this.userDataSource.close();
			this.admin.execute("DROP SCHEMA " + this.name + " CASCADE");
			this.admin.execute("DROP OWNED BY " + this.name);
			this.admin.execute("DROP ROLE " + this.name);
		}

	}

}
