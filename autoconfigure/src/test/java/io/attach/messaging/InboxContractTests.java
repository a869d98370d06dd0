package io.attach.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The contract of the {@link Inbox} every supported database passes.
 *
 * @author attach
 */
abstract class InboxContractTests {

	private final String name = "inbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	abstract DataSource dataSource();

	private JdbcTemplate jdbc() {
		return new JdbcTemplate(dataSource());
	}

	@AfterEach
	void dropTables() {
		jdbc().execute("DROP TABLE IF EXISTS " + this.name);
		jdbc().execute("DROP TABLE IF EXISTS " + this.name + "_effects");
	}

	private static InboundMessage inbound(String id) {
		return new InboundMessage(id, "t", null, java.util.Map.of(), new byte[0], 1);
	}

	private Inbox inbox(String table) {
		return new Inbox(dataSource(), new DataSourceTransactionManager(dataSource()), table, Duration.ofDays(7),
				Duration.ofHours(1), this.clock);
	}

	@Test
	void initializeCreatesTheTableOnceAndAgainChangesNothing() {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		inbox.initialize(true);
		assertThat(jdbc().queryForList(new InboxTable(this.name).probe())).isEmpty();
	}

	@Test
	void whenTheTableIsMissingAndMayNotBeCreatedThenInitializeSaysWhatToRun() {
		assertThatIllegalStateException().isThrownBy(() -> inbox(this.name).initialize(false))
			.withMessageContaining("attach.messaging.inbox.initialize-schema is 'never'")
			.withMessageContaining("CREATE TABLE IF NOT EXISTS " + this.name);
	}

	@Test
	void messageIsHandledOncePerGroup() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		AtomicInteger calls = new AtomicInteger();
		assertThat(inbox.handleOnce("billing", "t", "m-1", calls::incrementAndGet)).isTrue();
		assertThat(inbox.handleOnce("billing", "t", "m-1", calls::incrementAndGet)).isFalse();
		assertThat(inbox.handleOnce("mailing", "t", "m-1", calls::incrementAndGet)).isTrue();
		assertThat(inbox.handleOnce("billing", "t", "m-2", calls::incrementAndGet)).isTrue();
		assertThat(calls).hasValue(3);
	}

	@Test
	void idReusedOnAnotherTopicIsHandledThereToo() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		AtomicInteger calls = new AtomicInteger();
		assertThat(inbox.handleOnce("billing", "order.created", "42", calls::incrementAndGet)).isTrue();
		assertThat(inbox.handleOnce("billing", "order.paid", "42", calls::incrementAndGet)).isTrue();
		assertThat(inbox.handleOnce("billing", "order.paid", "42", calls::incrementAndGet)).isFalse();
		assertThat(calls).hasValue(2);
	}

	@Test
	void redeliveryWhileTheFirstDeliveryIsStillHandledIsNotHandledTwice() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch firstHandling = new CountDownLatch(1);
		CountDownLatch finishFirst = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<Boolean> first = executor.submit(() -> inbox.handleOnce("g", "t", "m-1", () -> {
				calls.incrementAndGet();
				firstHandling.countDown();
				assertThat(finishFirst.await(30, TimeUnit.SECONDS)).isTrue();
			}));
			assertThat(firstHandling.await(30, TimeUnit.SECONDS)).isTrue();
			// Such as the broker redelivering to another consumer after the first one's connection dropped.
			Future<Boolean> second = executor.submit(() -> inbox.handleOnce("g", "t", "m-1", calls::incrementAndGet));
			// Waits on the first one's uncommitted record; it must not run the handler meanwhile.
			assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> second.get(500, TimeUnit.MILLISECONDS));
			assertThat(calls).hasValue(1);
			finishFirst.countDown();
			assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
			assertThat(secondOutcome(second)).isEqualTo("duplicate");
			assertThat(calls).hasValue(1);
		}
		finally {
			finishFirst.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void redeliveryWhileTheFirstDeliveryIsStillHandledIsHandledIfTheFirstFails() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		AtomicInteger handled = new AtomicInteger();
		CountDownLatch firstHandling = new CountDownLatch(1);
		CountDownLatch finishFirst = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<Boolean> first = executor.submit(() -> inbox.handleOnce("g", "t", "m-1", () -> {
				firstHandling.countDown();
				assertThat(finishFirst.await(30, TimeUnit.SECONDS)).isTrue();
				throw new java.io.IOException("first delivery failed");
			}));
			assertThat(firstHandling.await(30, TimeUnit.SECONDS)).isTrue();
			Future<Boolean> second = executor.submit(() -> inbox.handleOnce("g", "t", "m-1", handled::incrementAndGet));
			assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> second.get(500, TimeUnit.MILLISECONDS));
			finishFirst.countDown();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> first.get(30, TimeUnit.SECONDS))
				.withCauseInstanceOf(java.io.IOException.class);
			String outcome = secondOutcome(second);
			// Handled once the first rolled back, or failed and retried (a database may end a waiting insert): the
			// handler ran once at most, and the message is not dropped as a duplicate.
			assertThat(outcome).isIn("handled", "failed");
			assertThat(handled.get()).isEqualTo(outcome.equals("handled") ? 1 : 0);
			if (outcome.equals("failed")) {
				assertThat(inbox.handleOnce("g", "t", "m-1", handled::incrementAndGet)).isTrue();
				assertThat(handled).hasValue(1);
			}
		}
		finally {
			finishFirst.countDown();
			executor.shutdownNow();
		}
	}

	private static String secondOutcome(Future<Boolean> second) throws Exception {
		try {
			return second.get(30, TimeUnit.SECONDS) ? "handled" : "duplicate";
		}
		catch (ExecutionException ex) {
			return "failed";
		}
	}

	@Test
	void handlerEffectsAndTheRecordCommitTogether() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		jdbc().execute("CREATE TABLE " + this.name + "_effects (id VARCHAR(20))");
		String insert = "INSERT INTO " + this.name + "_effects (id) VALUES ('m-1')";
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> inbox.handleOnce("g", "t", "m-1", () -> {
			jdbc().update(insert);
			throw new java.io.IOException("handler failed after its insert");
		}));
		assertThat(effects()).isZero();
		// The record rolled back with the failure: the redelivery is handled.
		assertThat(inbox.handleOnce("g", "t", "m-1", () -> jdbc().update(insert))).isTrue();
		assertThat(effects()).isOne();
		// A duplicate's transaction, failed insert and all, rolls back cleanly and leaves the effects alone.
		assertThat(inbox.handleOnce("g", "t", "m-1", () -> jdbc().update(insert))).isFalse();
		assertThat(effects()).isOne();
	}

	@Test
	void aBatchCommitsItsHandlersEffectsAndRecordsButRollsBackAFailedHandlersOnly() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		jdbc().execute("CREATE TABLE " + this.name + "_effects (id VARCHAR(20))");
		List<InboundMessage> batch = List.of(inbound("m-1"), inbound("m-2"), inbound("m-3"));
		List<Throwable> failures = inbox.handleAllOnce("g", batch, (index) -> {
			jdbc().update("INSERT INTO " + this.name + "_effects (id) VALUES (?)", batch.get(index).id());
			if (index == 1) {
				throw new java.io.IOException("handler failed after its insert");
			}
		});
		assertThat(failures).hasSize(3);
		assertThat(failures.get(0)).isNull();
		assertThat(failures.get(1)).isInstanceOf(java.io.IOException.class);
		assertThat(failures.get(2)).isNull();
		assertThat(jdbc().queryForList("SELECT id FROM " + this.name + "_effects ORDER BY id", String.class))
			.containsExactly("m-1", "m-3");
		AtomicInteger calls = new AtomicInteger();
		assertThat(inbox.handleOnce("g", "t", "m-1", calls::incrementAndGet)).isFalse();
		assertThat(inbox.handleOnce("g", "t", "m-3", calls::incrementAndGet)).isFalse();
		// The failed one's record went with its work: its redelivery is handled.
		assertThat(inbox.handleOnce("g", "t", "m-2", calls::incrementAndGet)).isTrue();
		assertThat(calls).hasValue(1);
	}

	@Test
	void aBatchWithAMessageHandledBeforeRunsNoHandlerAndLeavesNothing() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		assertThat(inbox.handleOnce("g", "t", "m-2", () -> {
		})).isTrue();
		AtomicInteger calls = new AtomicInteger();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> inbox.handleAllOnce("g",
				List.of(inbound("m-1"), inbound("m-2")), (index) -> calls.incrementAndGet()));
		assertThat(calls).hasValue(0);
		// m-1's record rolled back with the batch.
		assertThat(inbox.handleOnce("g", "t", "m-1", calls::incrementAndGet)).isTrue();
		assertThat(calls).hasValue(1);
	}

	@Test
	void longestIdsFit() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		String group = "g".repeat(InboxTable.MAX_ID);
		String id = "i".repeat(InboxTable.MAX_ID);
		assertThat(inbox.handleOnce(group, "t", id, () -> {
		})).isTrue();
		assertThat(inbox.handleOnce(group, "t", id, () -> {
		})).isFalse();
	}

	@Test
	void purgeDeletesRecordsOlderThanTheRetention() throws Exception {
		Inbox inbox = inbox(this.name);
		inbox.initialize(true);
		inbox.handleOnce("g", "t", "old", () -> {
		});
		this.clock.advance(Duration.ofDays(6));
		inbox.handleOnce("g", "t", "recent", () -> {
		});
		this.clock.advance(Duration.ofDays(1).plusMillis(1));
		assertThat(inbox.purge()).isOne();
		assertThat(inbox.handleOnce("g", "t", "old", () -> {
		})).isTrue();
		assertThat(inbox.handleOnce("g", "t", "recent", () -> {
		})).isFalse();
	}

	@Test
	void tableInAnotherSchemaIsCreated() throws Exception {
		String schema = this.name + "_s";
		jdbc().execute("CREATE SCHEMA " + schema);
		try {
			Inbox inbox = inbox(schema + ".attach_inbox");
			inbox.initialize(true);
			inbox.initialize(true);
			assertThat(inbox.handleOnce("g", "t", "m", () -> {
			})).isTrue();
			assertThat(inbox.handleOnce("g", "t", "m", () -> {
			})).isFalse();
		}
		finally {
			jdbc().execute("DROP TABLE IF EXISTS " + schema + ".attach_inbox");
			jdbc().execute("DROP SCHEMA " + schema);
		}
	}

	private int effects() {
		Integer count = jdbc().queryForObject("SELECT COUNT(*) FROM " + this.name + "_effects", Integer.class);
		return (count != null) ? count : -1;
	}

	/**
	 * A clock the test moves.
	 */
	static final class MutableClock extends Clock {

		private volatile Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
