package io.attach.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.outbox.Backoff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HandlerDispatch}.
 *
 * @author attach
 */
class HandlerDispatchTests {

	private static final JsonMapper mapper = new JsonMapper();

	private static final String OK = "{\"text\":\"hi\",\"number\":1}";

	private static final Backoff backoff = new Backoff(Duration.ofMillis(100), 2, Duration.ofSeconds(1));

	private final List<ReceivedMessage<Greeting>> handled = new CopyOnWriteArrayList<>();

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final MessagingListener listener = new MessagingListener() {

		@Override
		public void consumed(String topic, String group) {
			HandlerDispatchTests.this.events.add("consumed " + topic + " " + group);
		}

		@Override
		public void retried(String topic, String group) {
			HandlerDispatchTests.this.events.add("retried " + topic + " " + group);
		}

		@Override
		public void duplicate(String topic, String group) {
			HandlerDispatchTests.this.events.add("duplicate " + topic + " " + group);
		}

		@Override
		public void parked(String topic, String group) {
			HandlerDispatchTests.this.events.add("parked " + topic + " " + group);
		}

	};

	private HikariDataSource dataSource;

	@AfterEach
	void closeDataSource() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	@Test
	void handledMessageReachesTheHandlerWithItsPayload() {
		Outcome outcome = dispatch(this.handled::add, null).dispatch(message("m-1", "{\"text\":\"hi\",\"number\":3}", 1));
		assertThat(outcome).isEqualTo(new Outcome.Handled());
		assertThat(this.handled).singleElement().satisfies((message) -> {
			assertThat(message.id()).isEqualTo("m-1");
			assertThat(message.topic()).isEqualTo("user.created");
			assertThat(message.key()).isEqualTo("k");
			assertThat(message.headers()).containsExactly(Map.entry("tenant", "acme"));
			assertThat(message.payload()).isEqualTo(new Greeting("hi", 3));
			assertThat(message.attempt()).isOne();
		});
		assertThat(this.events).containsExactly("consumed user.created g");
	}

	@Test
	void parkMessageExceptionParksWithItsReason() {
		Outcome outcome = dispatch((message) -> {
			throw new ParkMessageException("customer unknown");
		}, null).dispatch(message("m-1", OK, 1));
		assertThat(outcome).isEqualTo(new Outcome.Park("customer unknown"));
		assertThat(this.events).containsExactly("parked user.created g");
	}

	@Test
	void parkMessageExceptionWrappedByAFrameworkStillParks() {
		Outcome outcome = dispatch((message) -> {
			throw new IllegalStateException("proxy", new ParkMessageException("customer unknown"));
		}, null).dispatch(message("m-1", OK, 1));
		assertThat(outcome).isEqualTo(new Outcome.Park("customer unknown"));
	}

	@Test
	void retryLaterRetriesAfterAtLeastTheDelayAsked() {
		Outcome outcome = dispatch((message) -> {
			throw new RetryLaterException("rate limited", Duration.ofMinutes(5));
		}, null).dispatch(message("m-1", OK, 2));
		assertThat(outcome).isEqualTo(new Outcome.Retry(Duration.ofMinutes(5), "rate limited"));
		assertThat(this.events).containsExactly("retried user.created g");
	}

	@Test
	void otherFailureRetriesWithBackoffUntilTheAttemptsRunOut() {
		MessageHandler<Greeting> failing = (message) -> {
			throw new IllegalStateException("down");
		};
		Outcome first = dispatch(failing, null).dispatch(message("m-1", OK, 1));
		assertThat(first).isInstanceOfSatisfying(Outcome.Retry.class, (retry) -> {
			assertThat(retry.delay()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
			assertThat(retry.reason()).isEqualTo("java.lang.IllegalStateException: down");
		});
		Outcome last = dispatch(failing, null).dispatch(message("m-1", OK, 3));
		assertThat(last).isEqualTo(
				new Outcome.Park("Failed 3 attempts, the last: java.lang.IllegalStateException: down"));
	}

	@Test
	void errorOfTheHandlerRetriesRatherThanEscape() {
		Outcome outcome = dispatch((message) -> {
			throw new AssertionError("bug");
		}, null).dispatch(message("m-1", OK, 1));
		assertThat(outcome).isInstanceOf(Outcome.Retry.class);
	}

	@Test
	void unreadablePayloadIsParkedWithoutCallingTheHandler() {
		Outcome outcome = dispatch(this.handled::add, null).dispatch(message("m-1", "[1, 2", 1));
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Park.class,
				(park) -> assertThat(park.reason()).startsWith("Unreadable payload for " + Greeting.class.getName()));
		assertThat(this.handled).isEmpty();
	}

	@Test
	void nullPayloadIsParked() {
		Outcome outcome = dispatch(this.handled::add, null).dispatch(message("m-1", "null", 1));
		assertThat(outcome).isInstanceOf(Outcome.Park.class);
		assertThat(this.handled).isEmpty();
	}

	@Test
	void withAnInboxARedeliveryIsADuplicateAndTheHandlerIsNotCalled() {
		Inbox inbox = inbox();
		HandlerDispatch<Greeting> dispatch = dispatch(this.handled::add, inbox);
		assertThat(dispatch.dispatch(message("m-1", OK, 1))).isEqualTo(new Outcome.Handled());
		assertThat(dispatch.dispatch(message("m-1", OK, 2))).isEqualTo(new Outcome.Duplicate());
		assertThat(this.handled).hasSize(1);
		assertThat(this.events).containsExactly("consumed user.created g", "retried user.created g",
				"duplicate user.created g");
	}

	@Test
	void withAnInboxAFailedAttemptLeavesNoRecordSoTheRedeliveryIsHandled() {
		Inbox inbox = inbox();
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			attempts.add(message.attempt());
			if (message.attempt() == 1) {
				throw new RetryLaterException("not yet");
			}
		}, inbox);
		assertThat(dispatch.dispatch(message("m-1", OK, 1))).isInstanceOf(Outcome.Retry.class);
		assertThat(dispatch.dispatch(message("m-1", OK, 2))).isEqualTo(new Outcome.Handled());
		assertThat(attempts).containsExactly(1, 2);
	}

	@Test
	void withAnInboxAnIdReusedOnAnotherTopicIsHandledThereToo() {
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
		}, inbox());
		assertThat(dispatch.dispatch(message("m-1", OK, 1))).isEqualTo(new Outcome.Handled());
		assertThat(dispatch.dispatch(new InboundMessage("m-1", "user.deleted", null, Map.of(),
				OK.getBytes(StandardCharsets.UTF_8), 1))).isEqualTo(new Outcome.Handled());
		assertThat(dispatch.dispatch(message("m-1", OK, 1))).isEqualTo(new Outcome.Duplicate());
	}

	@Test
	void whenTheInboxDatabaseIsDownTheAttemptIsNotCountedAndNothingIsParked() {
		Inbox inbox = inbox();
		this.dataSource.close();
		HandlerDispatch<Greeting> dispatch = dispatch(this.handled::add, inbox);
		// The last attempt: a handler failure would park it.
		Outcome outcome = dispatch.dispatch(message("m-1", OK, 3));
		assertThat(outcome).isInstanceOfSatisfying(Outcome.Retry.class, (retry) -> {
			assertThat(retry.counts()).isFalse();
			assertThat(retry.next(3)).isEqualTo(3);
			assertThat(retry.delay()).isPositive();
		});
		assertThat(this.handled).isEmpty();
		assertThat(this.events).noneMatch((event) -> event.startsWith("parked"));
	}

	@Test
	void whenTheHandlersDatabaseWorkFailsTransientlyTheAttemptIsNotCounted() {
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			throw new org.springframework.dao.QueryTimeoutException("lock wait timeout");
		}, inbox());
		assertThat(dispatch.dispatch(message("m-1", OK, 3))).isInstanceOfSatisfying(Outcome.Retry.class,
				(retry) -> assertThat(retry.counts()).isFalse());
	}

	@Test
	void whenTheHandlerFailsTheAttemptCounts() {
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			throw new IllegalStateException("bug");
		}, inbox());
		assertThat(dispatch.dispatch(message("m-1", OK, 1))).isInstanceOfSatisfying(Outcome.Retry.class,
				(retry) -> assertThat(retry.next(1)).isEqualTo(2));
		assertThat(dispatch.dispatch(message("m-1", OK, 3))).isInstanceOf(Outcome.Park.class);
	}

	@Test
	void whenTheInboxTransactionManagerRunsNoTransactionOfItsDataSourceTheHandlerIsNotCalled() {
		Inbox ours = inbox();
		HikariDataSource other = new HikariDataSource();
		other.setJdbcUrl("jdbc:h2:mem:other_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		try {
			Inbox inbox = new Inbox(this.dataSource, new DataSourceTransactionManager(other), "attach_inbox",
					Duration.ofDays(7), Duration.ofHours(1), java.time.Clock.systemUTC());
			HandlerDispatch<Greeting> dispatch = dispatch(this.handled::add, inbox);
			assertThat(dispatch.dispatch(message("m-1", OK, 1))).isInstanceOfSatisfying(Outcome.Retry.class,
					(retry) -> assertThat(retry.reason()).contains("runs no transaction of the inbox's DataSource"));
			assertThat(this.handled).isEmpty();
			// No record was left behind to drop the redelivery.
			assertThat(dispatch(this.handled::add, ours).dispatch(message("m-1", OK, 2)))
				.isEqualTo(new Outcome.Handled());
		}
		finally {
			other.close();
		}
	}

	@Test
	void messagesThatArriveTogetherAreHandledInOneTransactionAndCountedOnceItCommits() {
		Inbox inbox = inbox();
		JdbcTemplate jdbc = effects();
		Set<Object> transactions = ConcurrentHashMap.newKeySet();
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			transactions.add(TransactionSynchronizationManager.getResource(this.dataSource));
			jdbc.update("INSERT INTO effects (id) VALUES (?)", message.id());
		}, inbox);
		List<Outcome> outcomes = dispatch.dispatchAll(
				List.of(message("m-1", OK, 1), message("m-2", OK, 2), message("m-3", OK, 1)));
		assertThat(outcomes).containsExactly(new Outcome.Handled(), new Outcome.Handled(), new Outcome.Handled());
		assertThat(transactions).hasSize(1);
		assertThat(jdbc.queryForList("SELECT id FROM effects ORDER BY id", String.class))
			.containsExactly("m-1", "m-2", "m-3");
		assertThat(this.events).containsExactly("consumed user.created g", "retried user.created g",
				"consumed user.created g", "consumed user.created g");
		// Recorded in the inbox: redeliveries are dropped.
		assertThat(dispatch.dispatch(message("m-2", OK, 3))).isEqualTo(new Outcome.Duplicate());
	}

	@Test
	void whenAHandlerOfABatchFailsOnlyItsWorkIsRolledBackAndItGetsTheOutcomeItGetsAlone() {
		Inbox inbox = inbox();
		JdbcTemplate jdbc = effects();
		List<String> calls = new CopyOnWriteArrayList<>();
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			calls.add(message.id());
			jdbc.update("INSERT INTO effects (id) VALUES (?)", message.id());
			if (message.id().equals("m-2")) {
				throw new ParkMessageException("bad");
			}
		}, inbox);
		List<Outcome> outcomes = dispatch.dispatchAll(
				List.of(message("m-1", OK, 1), message("m-2", OK, 1), message("m-3", OK, 1)));
		assertThat(outcomes).hasSize(3);
		assertThat(outcomes.get(0)).isEqualTo(new Outcome.Handled());
		assertThat(outcomes.get(1)).isInstanceOfSatisfying(Outcome.Park.class,
				(park) -> assertThat(park.reason()).isEqualTo("bad"));
		assertThat(outcomes.get(2)).isEqualTo(new Outcome.Handled());
		// No handler ran twice.
		assertThat(calls).containsExactly("m-1", "m-2", "m-3");
		assertThat(jdbc.queryForList("SELECT id FROM effects ORDER BY id", String.class)).containsExactly("m-1",
				"m-3");
		assertThat(this.events).containsExactly("consumed user.created g", "parked user.created g",
				"consumed user.created g");
		// Its record went with its work: a requeued copy is handled.
		assertThat(dispatch.dispatch(message("m-2", OK, 1))).isInstanceOf(Outcome.Park.class);
		assertThat(calls).containsExactly("m-1", "m-2", "m-3", "m-2");
	}

	@Test
	void whenAHandlersOwnTransactionalWorkFailsTheOthersOfTheBatchStillCommit() {
		Inbox inbox = inbox();
		JdbcTemplate jdbc = effects();
		TransactionTemplate participating = new TransactionTemplate(inbox.getTransactionManager());
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> participating.executeWithoutResult((status) -> {
			jdbc.update("INSERT INTO effects (id) VALUES (?)", message.id());
			if (message.id().equals("m-1")) {
				// Marks the whole transaction rollback-only, as a failed @Transactional method joining it does.
				throw new IllegalStateException("bug");
			}
		}), inbox);
		List<Outcome> outcomes = dispatch.dispatchAll(List.of(message("m-1", OK, 1), message("m-2", OK, 1)));
		assertThat(outcomes.get(0)).isInstanceOfSatisfying(Outcome.Retry.class,
				(retry) -> assertThat(retry.reason()).contains("bug"));
		assertThat(outcomes.get(1)).isEqualTo(new Outcome.Handled());
		assertThat(jdbc.queryForList("SELECT id FROM effects", String.class)).containsExactly("m-2");
	}

	@Test
	void whenAHandlerSwallowsTheFailureOfItsTransactionalWorkItIsRetriedAsItWouldBeAlone() {
		Inbox inbox = inbox();
		JdbcTemplate jdbc = effects();
		TransactionTemplate participating = new TransactionTemplate(inbox.getTransactionManager());
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			jdbc.update("INSERT INTO effects (id) VALUES (?)", message.id());
			if (message.id().equals("m-2")) {
				try {
					participating.executeWithoutResult((status) -> {
						throw new IllegalStateException("swallowed");
					});
				}
				catch (IllegalStateException ex) {
					// The transaction stays marked rollback-only.
				}
			}
		}, inbox);
		List<Outcome> alone = List.of(dispatch.dispatch(message("m-0", OK, 1)));
		assertThat(alone).singleElement().isInstanceOf(Outcome.Handled.class);
		List<Outcome> outcomes = dispatch.dispatchAll(
				List.of(message("m-1", OK, 1), message("m-2", OK, 1), message("m-3", OK, 1)));
		assertThat(outcomes.get(0)).isEqualTo(new Outcome.Handled());
		assertThat(outcomes.get(1)).isInstanceOfSatisfying(Outcome.Retry.class,
				(retry) -> assertThat(retry.reason()).contains("rollback-only"));
		assertThat(outcomes.get(2)).isEqualTo(new Outcome.Handled());
		assertThat(jdbc.queryForList("SELECT id FROM effects ORDER BY id", String.class)).containsExactly("m-0",
				"m-1", "m-3");
	}

	@Test
	void aDuplicateOrAnUnreadableMessageInABatchGetsItsOwnOutcomeAndNoHandlerRunsTwice() {
		Inbox inbox = inbox();
		HandlerDispatch<Greeting> dispatch = dispatch(this.handled::add, inbox);
		assertThat(dispatch.dispatch(message("m-2", OK, 1))).isEqualTo(new Outcome.Handled());
		this.handled.clear();
		this.events.clear();
		List<Outcome> outcomes = dispatch.dispatchAll(List.of(message("m-1", OK, 1), message("m-2", OK, 2),
				message("m-3", "not json", 1), message("m-4", OK, 1)));
		assertThat(outcomes.get(0)).isEqualTo(new Outcome.Handled());
		assertThat(outcomes.get(1)).isEqualTo(new Outcome.Duplicate());
		assertThat(outcomes.get(2)).isInstanceOf(Outcome.Park.class);
		assertThat(outcomes.get(3)).isEqualTo(new Outcome.Handled());
		assertThat(this.handled).extracting(ReceivedMessage::id).containsExactly("m-1", "m-4");
		assertThat(this.events).containsExactlyInAnyOrder("consumed user.created g", "retried user.created g",
				"duplicate user.created g", "parked user.created g", "consumed user.created g");
	}

	@Test
	void withAnInboxManagerThatIsNotAJdbcOneEachMessageIsHandledAlone() {
		Inbox ours = inbox();
		PlatformTransactionManager jdbcManager = ours.getTransactionManager();
		// Runs transactions of the DataSource, as a JPA manager does, without being a JDBC one.
		PlatformTransactionManager other = new PlatformTransactionManager() {

			@Override
			public TransactionStatus getTransaction(TransactionDefinition definition) {
				return jdbcManager.getTransaction(definition);
			}

			@Override
			public void commit(TransactionStatus status) {
				jdbcManager.commit(status);
			}

			@Override
			public void rollback(TransactionStatus status) {
				jdbcManager.rollback(status);
			}

		};
		Inbox inbox = new Inbox(this.dataSource, other, "attach_inbox", Duration.ofDays(7), Duration.ofHours(1),
				java.time.Clock.systemUTC());
		Set<Object> transactions = ConcurrentHashMap.newKeySet();
		HandlerDispatch<Greeting> dispatch = dispatch(
				(message) -> transactions.add(TransactionSynchronizationManager.getResource(this.dataSource)), inbox);
		assertThat(dispatch.batches()).isFalse();
		assertThat(dispatch(this.handled::add, ours).batches()).isTrue();
		assertThat(dispatch(this.handled::add, null).batches()).isFalse();
		assertThat(dispatch.dispatchAll(List.of(message("m-1", OK, 1), message("m-2", OK, 1))))
			.containsExactly(new Outcome.Handled(), new Outcome.Handled());
		assertThat(transactions).hasSize(2);
	}

	@Test
	void whenTheBatchCannotCommitEachMessageIsHandledAlone() {
		Inbox inbox = inbox();
		JdbcTemplate jdbc = effects();
		HandlerDispatch<Greeting> dispatch = dispatch((message) -> {
			jdbc.update("INSERT INTO effects (id) VALUES (?)", message.id());
			// The first call's effect fails the batch's commit, not the call.
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void beforeCommit(boolean readOnly) {
					throw new IllegalStateException("commit refused");
				}
			});
		}, inbox);
		assertThat(dispatch.dispatchAll(List.of(message("m-1", OK, 1), message("m-2", OK, 1))))
			.allSatisfy((outcome) -> assertThat(outcome).isInstanceOf(Outcome.Retry.class));
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM effects", Integer.class)).isZero();
		assertThat(this.events).isEmpty();
	}

	@Test
	void withoutAnInboxMessagesThatArriveTogetherAreHandledEachAlone() {
		HandlerDispatch<Greeting> dispatch = dispatch(this.handled::add, null);
		assertThat(dispatch.dispatchAll(List.of(message("m-1", OK, 1), message("m-2", "null", 1))))
			.satisfiesExactly((outcome) -> assertThat(outcome).isEqualTo(new Outcome.Handled()),
					(outcome) -> assertThat(outcome).isInstanceOf(Outcome.Park.class));
		assertThat(this.handled).extracting(ReceivedMessage::id).containsExactly("m-1");
	}

	private JdbcTemplate effects() {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		jdbc.execute("CREATE TABLE effects (id VARCHAR(64) PRIMARY KEY)");
		return jdbc;
	}

	private Inbox inbox() {
		this.dataSource = new HikariDataSource();
		this.dataSource.setJdbcUrl("jdbc:h2:mem:dispatch_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		Inbox inbox = new Inbox(this.dataSource, new DataSourceTransactionManager(this.dataSource), "attach_inbox",
				Duration.ofDays(7), Duration.ofHours(1), java.time.Clock.systemUTC());
		inbox.initialize(true);
		return inbox;
	}

	private HandlerDispatch<Greeting> dispatch(MessageHandler<Greeting> handler, Inbox inbox) {
		return new HandlerDispatch<>("g", mapper.constructType(Greeting.class), handler,
				new HandlerDispatch.Settings(mapper, inbox, backoff, 3, this.listener));
	}

	private static InboundMessage message(String id, String json, int attempt) {
		return new InboundMessage(id, "user.created", "k", Map.of("tenant", "acme"),
				json.getBytes(StandardCharsets.UTF_8), attempt);
	}

	record Greeting(String text, int number) {

	}

}
