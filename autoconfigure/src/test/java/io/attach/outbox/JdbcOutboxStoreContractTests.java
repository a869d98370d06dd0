package io.attach.outbox;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * The {@link OutboxStore} contract for {@link JdbcOutboxStore}, plus what a shared table adds: several instances
 * claiming at once, several applications keeping apart, a table from an earlier version.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class JdbcOutboxStoreContractTests extends OutboxStoreContractTests {

	// Servers' own threads may throw on purpose here (a refused handshake): only the condition decides.
	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	private final String table = "attach_outbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	abstract DataSource dataSource();

	@AfterEach
	void dropTable() {
		new JdbcTemplate(dataSource()).execute("DROP TABLE IF EXISTS " + this.table);
	}

	@Override
	OutboxStore store() {
		return store("app");
	}

	JdbcOutboxStore store(String application) {
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, application);
		assertThat(store.initialize()).isTrue();
		return store;
	}

	@Override
	PlatformTransactionManager transactionManager() {
		return new DataSourceTransactionManager(dataSource());
	}

	@Test
	void whenSeveralInstancesClaimAtOnceThenEachItemGoesToOne() {
		OutboxStore store = store();
		for (int i = 0; i < 200; i++) {
			store.add("mail", "<" + i + "@x>", bytes("m" + i));
		}
		List<CompletableFuture<List<String>>> instances = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			OutboxStore instance = store();
			instances.add(CompletableFuture.supplyAsync(() -> {
				List<String> ids = new ArrayList<>();
				for (List<OutboxItem> batch = instance.claim("mail", 7, LEASE); !batch.isEmpty(); batch = instance
					.claim("mail", 7, LEASE)) {
					batch.forEach((item) -> ids.add(item.id()));
				}
				return ids;
			}));
		}
		List<String> claimed = new ArrayList<>();
		instances.forEach((instance) -> claimed.addAll(instance.join()));
		assertThat(claimed).hasSize(200).doesNotHaveDuplicates();
	}

	@Test
	void whenALeaseRanOutThenItsFormerHolderCannotSettleTheItem() {
		OutboxStore slow = store();
		OutboxStore other = store();
		slow.add("mail", "<1@x>", bytes("one"));
		OutboxItem stale = slow.claim("mail", 10, Duration.ofMillis(1)).get(0);
		OutboxItem taken = EVENTUALLY.until(() -> other.claim("mail", 10, LEASE), (items) -> !items.isEmpty()).get(0);
		slow.park("mail", stale, "too late");
		slow.release("mail", List.of(stale));
		assertThat(other.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked).containsExactly(1L, 0L);
		assertThat(other.claim("mail", 10, LEASE)).as("still leased by the other instance").isEmpty();
		other.delivered("mail", taken);
		assertThat(other.stats("mail").queued()).isZero();
	}

	@Test
	void whenTableExistsThenInitializingAgainKeepsItsItems() {
		store().add("mail", "<1@x>", bytes("one"));
		assertThat(store().claim("mail", 10, LEASE)).hasSize(1);
	}

	@Test
	void whenTableNameIsNotPlainThenItIsRefused() {
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcOutboxStore(dataSource(), "outbox; DROP TABLE users", "app"))
			.withMessageContaining("attach.outbox.table");
	}

	@Test
	void whenApplicationNameIsEmptyOrTooLongThenItIsRefused() {
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcOutboxStore(dataSource(), this.table, " "))
			.withMessageContaining("attach.outbox.application");
		org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcOutboxStore(dataSource(), this.table, "a".repeat(129)))
			.withMessageContaining("attach.outbox.application");
	}

	@Test
	void whenTwoApplicationsShareTheTableThenEachTakesCountsAndRequeuesOnlyItsOwnItems() {
		JdbcOutboxStore shop = store("shop");
		JdbcOutboxStore billing = store("billing");
		shop.add("mail", "<shop-1@x>", bytes("shop"));
		shop.add("mail", "<shop-2@x>", bytes("shop"));
		billing.add("mail", "<billing-1@x>", bytes("billing"));
		assertThat(billing.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<billing-1@x>");
		List<OutboxItem> claimed = shop.claim("mail", 10, LEASE);
		assertThat(claimed).extracting(OutboxItem::id).containsExactly("<shop-1@x>", "<shop-2@x>");
		shop.park("mail", claimed.get(0), "550 no such user");
		assertThat(billing.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked)
			.containsExactly(1L, 0L);
		assertThat(shop.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked).containsExactly(1L, 1L);
		assertThat(billing.requeueParked("mail")).isZero();
		assertThat(shop.requeueParked("mail")).isOne();
	}

	@Test
	void whenInstancesOfOneApplicationShareTheTableThenEachTakesWhatTheOtherQueued() {
		JdbcOutboxStore first = store("shop");
		JdbcOutboxStore second = store("shop");
		first.add("mail", "<1@x>", bytes("one"));
		second.add("mail", "<2@x>", bytes("two"));
		assertThat(second.claim("mail", 1, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
		assertThat(first.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<2@x>");
	}

	@Test
	void whenTheTableIsFromBeforeApplicationsThenItGainsTheColumnAndItsOldItemsAreTakenByNoneUntilAssigned(
			CapturedOutput output) throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, "shop");
		String product = JdbcUtils.extractDatabaseMetaData(dataSource(), DatabaseMetaData::getDatabaseProductName);
		// The table as earlier versions created it: the same, without the application column.
		jdbc.execute(store.createTable(product).get(0).replace(" application VARCHAR(128) NOT NULL,", ""));
		jdbc.update("INSERT INTO " + this.table + " (channel, item_id, payload, enqueued_at, attempts, next_attempt_at)"
				+ " VALUES ('mail', '<old@x>', ?, 0, 0, 0)", (Object) bytes("old"));
		assertThat(store.initialize()).isTrue();
		store.add("mail", "<new@x>", bytes("new"));
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<new@x>");
		assertThat(store("billing").claim("mail", 10, LEASE)).isEmpty();
		String assign = "UPDATE " + this.table + " SET application = 'shop' WHERE application IS NULL";
		assertThat(output).contains("1 item(s) in the outbox table " + this.table, assign);
		jdbc.execute(assign);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<old@x>");
	}

	@Test
	void whenInstancesOfAnEarlierVersionQueueItemsThenTheyAreCountedAndTheWarningRepeatsWhileAnyRemain(
			CapturedOutput output) throws Exception {
		createTableOfEarlierVersion();
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, "shop", false, Duration.ZERO);
		assertThat(store.initialize()).isTrue();
		store.add("mail", "<new@x>", bytes("new"));
		insertUnassigned("mail", "<old@x>");
		String warning = "1 item(s) in the outbox table " + this.table + " belong to no application";
		assertThat(store.stats("mail")).extracting(OutboxStats::queued, OutboxStats::unassigned)
			.containsExactly(1L, 1L);
		assertThat(output).contains(warning,
				"UPDATE " + this.table + " SET application = 'shop' WHERE application IS NULL",
				"attach.outbox.adopt-unassigned=true");
		store.stats("mail");
		assertThat(occurrences(output, warning)).isEqualTo(2);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<new@x>");
		new JdbcTemplate(dataSource())
			.execute("UPDATE " + this.table + " SET application = 'shop' WHERE application IS NULL");
		assertThat(store.stats("mail")).extracting(OutboxStats::queued, OutboxStats::unassigned)
			.containsExactly(2L, 0L);
		assertThat(occurrences(output, warning)).isEqualTo(2);
	}

	@Test
	void whenItemsBelongToNoApplicationThenTheWarningIsNotRepeatedWithinItsInterval(CapturedOutput output) throws Exception {
		createTableOfEarlierVersion();
		JdbcOutboxStore store = store("shop");
		insertUnassigned("mail", "<old@x>");
		assertThat(store.stats("mail").unassigned()).isOne();
		assertThat(store.stats("mail").unassigned()).isOne();
		assertThat(occurrences(output, "1 item(s) in the outbox table " + this.table)).isOne();
	}

	@Test
	void whenAdoptingUnassignedItemsThenTheApplicationTakesThoseOfTheChannelsItDeliversAsTheyAreQueued(
			CapturedOutput output) throws Exception {
		createTableOfEarlierVersion();
		JdbcOutboxStore adopting = new JdbcOutboxStore(dataSource(), this.table, "shop", true);
		assertThat(adopting.initialize()).isTrue();
		JdbcOutboxStore billing = store("billing");
		insertUnassigned("mail", "<old-1@x>");
		insertUnassigned("sms", "<old-sms@x>");
		assertThat(billing.claim("mail", 10, LEASE)).isEmpty();
		assertThat(adopting.stats("mail")).extracting(OutboxStats::queued, OutboxStats::unassigned)
			.containsExactly(1L, 0L);
		assertThat(output).contains("Outbox mail: took over 1 item(s) in the table " + this.table);
		// As during a rolling upgrade: an instance of the earlier version still queues.
		insertUnassigned("mail", "<old-2@x>");
		assertThat(adopting.stats("mail").queued()).isEqualTo(2);
		assertThat(adopting.claim("mail", 10, LEASE)).extracting(OutboxItem::id)
			.containsExactly("<old-1@x>", "<old-2@x>");
		assertThat(billing.stats("mail")).extracting(OutboxStats::queued, OutboxStats::unassigned)
			.containsExactly(0L, 0L);
		assertThat(billing.stats("sms").unassigned()).as("a channel the application does not deliver").isOne();
	}

	@Test
	void whenTheTableIsOfSchemaVersion2ThenItGainsTheEnvelopeColumnsAndKeepsItsItems(CapturedOutput output)
			throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		jdbc.execute(createTableOfVersion2());
		jdbc.update("INSERT INTO " + this.table + " (application, channel, item_id, payload, enqueued_at, attempts,"
				+ " next_attempt_at) VALUES ('app', 'mail', '<old@x>', ?, 0, 0, 0)", (Object) bytes("old"));
		JdbcOutboxStore store = store("app");
		assertThat(output).contains("Outbox table " + this.table + " upgraded to schema version 3, adding content_type,"
				+ " message_key, message_headers");
		store.add("messages", OutboxMessage.of("m-1", bytes("new")).withKey("orders").withHeader("tenant", "eu"));
		assertThat(store.claim("mail", 10, LEASE)).singleElement().satisfies((item) -> {
			assertThat(item.id()).isEqualTo("<old@x>");
			assertThat(item.message().key()).isNull();
			assertThat(item.message().headers()).isEmpty();
		});
		assertThat(store.claim("messages", 10, LEASE)).singleElement()
			.satisfies((item) -> assertThat(item.message().headers()).containsEntry("tenant", "eu"));
		// Brought up to date once: a second instance finds every column and runs nothing.
		assertThat(store("app").initialize()).isTrue();
		assertThat(occurrences(output, "upgraded to schema version 3")).isOne();
	}

	@Test
	void whenTwoInstancesUpgradeTheTableAtOnceThenBothFindItReady() throws Exception {
		new JdbcTemplate(dataSource()).execute(createTableOfVersion2());
		List<CompletableFuture<Boolean>> starts = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, "app");
			// As the relay does, round after round: on a loaded machine H2 may hold its catalog locked past its lock
			// timeout while the other instance copies the table, and then the next round finds the table ready.
			starts.add(CompletableFuture.supplyAsync(() -> store.initialize() || store.initialize() || store.initialize()));
		}
		assertThat(starts).allSatisfy((start) -> assertThat(start.join()).isTrue());
		store("app").add("messages", OutboxMessage.of("m-1", bytes("one")).withContentType("text/plain"));
		assertThat(store("app").claim("messages", 10, LEASE)).extracting((item) -> item.message().contentType())
			.containsExactly("text/plain");
	}

	@Test
	void whenRowsCannotBeReadAsMessagesThenEachIsParkedWithItsReasonAndTheOthersAreClaimed(CapturedOutput output) {
		JdbcOutboxStore store = store("app");
		store.add("messages", OutboxMessage.of("m-1", bytes("one")));
		// Rows a message could never have been made of: written by hand, or by a version with other limits.
		String insert = "INSERT INTO " + this.table + " (application, channel, item_id, payload, enqueued_at, attempts,"
				+ " next_attempt_at, content_type, message_key, message_headers) VALUES ('app', 'messages', ?, ?, 0, 0, 0,"
				+ " ?, ?, ?)";
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		jdbc.update(insert, "m-2", bytes("two"), "", null, null);
		jdbc.update(insert, "", bytes("three"), null, null, null);
		jdbc.update(insert, "m-4", bytes("four"), null, "", null);
		jdbc.update(insert, "m-5", bytes("five"), null, null, "tenant=%zz");
		jdbc.update(insert, "m-6", bytes("six"), null, null, "tenant=" + "e".repeat(OutboxMessage.MAX_HEADERS));
		store.add("messages", OutboxMessage.of("m-7", bytes("seven")).withKey("orders"));
		assertThat(store.claim("messages", 10, LEASE)).extracting(OutboxItem::id).containsExactly("m-1", "m-7");
		assertThat(store.stats("messages")).extracting(OutboxStats::queued, OutboxStats::parked)
			.containsExactly(2L, 5L);
		assertThat(jdbc.queryForList("SELECT last_error FROM " + this.table + " WHERE parked_at IS NOT NULL ORDER BY seq",
				String.class))
			.satisfiesExactly((error) -> assertThat(error).contains("content type"),
					(error) -> assertThat(error).contains("id"), (error) -> assertThat(error).contains("key"),
					(error) -> assertThat(error).contains("%"),
					(error) -> assertThat(error).contains(String.valueOf(OutboxMessage.MAX_HEADERS)));
		assertThat(output).contains("Outbox messages: parked m-2", "cannot be read as a message");
		assertThat(store.requeueParked("messages")).as("kept for an operator").isEqualTo(5);
	}

	@Test
	void whenTheSchemaMayNotBeChangedAndTheTableIsMissingThenTheStatementsAreLoggedAndNothingIsCreated(
			CapturedOutput output) throws Exception {
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, "app", false, false);
		assertThat(store.initialize()).isFalse();
		List<String> ddl = store.createTable(product());
		assertThat(output).contains("The outbox table " + this.table + " is missing, and attach.outbox.initialize-schema"
				+ " is never", String.join("; ", ddl));
		assertThat(store.initialize()).isFalse();
		assertThat(occurrences(output, "attach.outbox.initialize-schema is never")).as("said once per cause").isOne();
		// What the warning asks of an administrator is enough.
		ddl.forEach(new JdbcTemplate(dataSource())::execute);
		assertThat(store.initialize()).isTrue();
		store.add("mail", "<1@x>", bytes("one"));
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
	}

	@Test
	void whenTheSchemaMayNotBeChangedAndTheTableIsOfAnEarlierVersionThenMailIsStillQueuedAndTheStatementsAreLogged(
			CapturedOutput output) throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		jdbc.execute(createTableOfVersion2());
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, "app", false, false);
		assertThat(store.initialize()).isFalse();
		List<String> alter = List.of("ALTER TABLE " + this.table + " ADD COLUMN content_type VARCHAR(255)",
				"ALTER TABLE " + this.table + " ADD COLUMN message_key VARCHAR(255)",
				"ALTER TABLE " + this.table + " ADD COLUMN message_headers TEXT");
		assertThat(output).contains("lacks the column(s) content_type, message_key, message_headers of schema version 3",
				String.join("; ", alter));
		assertThat(occurrences(output, "upgraded to schema version")).isZero();
		// An item without an envelope, as every mail is, needs none of the columns the table lacks.
		store.add("mail", "<1@x>", bytes("one"));
		assertThatIllegalStateException()
			.isThrownBy(() -> store.add("messages", OutboxMessage.of("m-1", bytes("two")).withKey("orders")))
			.withMessageContaining("The outbox table " + this.table + " lacks the column(s) content_type, message_key,"
					+ " message_headers")
			.withMessageContaining(String.join("; ", alter));
		alter.forEach(jdbc::execute);
		assertThat(store.initialize()).isTrue();
		List<OutboxItem> claimed = store.claim("mail", 10, LEASE);
		assertThat(claimed).extracting(OutboxItem::id).containsExactly("<1@x>");
		store.delivered("mail", claimed.get(0));
		assertThat(store.stats("mail").queued()).isZero();
		assertThat(store.stats("messages").queued()).isZero();
	}

	/**
	 * Shows that bringing the table up to date gives way to a transaction that holds it, rather than wait, maybe for
	 * ever, while every insert queues behind it, and that the next try after that transaction ended succeeds.
	 * @param output the captured output
	 * @param hold what the other transaction runs to hold the table until it ends, {@code {table}} for its name
	 */
	void assertTheUpgradeGivesWayToATransactionThatHoldsTheTable(CapturedOutput output, String hold) throws Exception {
		new JdbcTemplate(dataSource()).execute(createTableOfVersion2());
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table, "app");
		try (Connection holder = dataSource().getConnection()) {
			holder.setAutoCommit(false);
			try (Statement statement = holder.createStatement()) {
				statement.execute(hold.replace("{table}", this.table));
			}
			// Only a guard against hanging, far longer than the store waits.
			boolean ready = assertTimeoutPreemptively(Duration.ofSeconds(30), store::initialize);
			assertThat(ready).isFalse();
			assertThat(output).contains("Another transaction holds a lock on the outbox table " + this.table,
					"will try again next round");
			// Nothing waits behind the upgrade any more: mail is queued all the while.
			store.add("mail", "<1@x>", bytes("one"));
			holder.rollback();
		}
		assertThat(store.initialize()).isTrue();
		assertThat(output).contains("Outbox table " + this.table + " upgraded to schema version 3");
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
	}

	private String createTableOfVersion2() throws Exception {
		String create = new JdbcOutboxStore(dataSource(), this.table, "app").createTable(product()).get(0);
		String envelope = ", content_type VARCHAR(255), message_key VARCHAR(255), message_headers TEXT";
		assertThat(create).contains(envelope);
		return create.replace(envelope, "");
	}

	private String product() throws Exception {
		return JdbcUtils.extractDatabaseMetaData(dataSource(), DatabaseMetaData::getDatabaseProductName);
	}

	private void createTableOfEarlierVersion() throws Exception {
		String product = JdbcUtils.extractDatabaseMetaData(dataSource(), DatabaseMetaData::getDatabaseProductName);
		new JdbcTemplate(dataSource()).execute(new JdbcOutboxStore(dataSource(), this.table, "shop").createTable(product)
			.get(0)
			.replace(" application VARCHAR(128) NOT NULL,", ""));
	}

	// What an instance of a version from before items were kept by application inserts.
	private void insertUnassigned(String channel, String id) {
		new JdbcTemplate(dataSource()).update("INSERT INTO " + this.table + " (channel, item_id, payload, enqueued_at,"
				+ " attempts, next_attempt_at) VALUES (?, ?, ?, 0, 0, 0)", channel, id, bytes(id));
	}

	private static int occurrences(CapturedOutput output, String text) {
		return output.getOut().split(Pattern.quote(text), -1).length - 1;
	}

}
