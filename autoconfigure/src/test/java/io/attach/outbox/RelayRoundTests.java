package io.attach.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link RelayRound}, one round at a time on the calling thread, with a clock the delivery moves.
 *
 * @author attach
 */
class RelayRoundTests {

	private static final Duration LEASE = Duration.ofSeconds(10);

	@TempDir
	Path directory;

	private FileOutboxStore store;

	private final AttachOutboxProperties properties = new AttachOutboxProperties();

	private final AtomicLong clock = new AtomicLong();

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	private final AtomicInteger connects = new AtomicInteger();

	private final Counting listener = new Counting();

	private RelayFailures failures;

	@BeforeEach
	void open() {
		this.store = new FileOutboxStore(this.directory);
		this.properties.setLease(LEASE);
		this.properties.setBatchSize(10);
		this.properties.setPollInterval(Duration.ofSeconds(7));
		this.properties.getRetry().setInitialInterval(Duration.ofSeconds(1));
		this.properties.getRetry().setMaxInterval(Duration.ofSeconds(30));
		this.failures = new RelayFailures("mail", "directory", this.properties.getRetry().toBackoff());
	}

	@AfterEach
	void close() throws IOException {
		this.store.close();
	}

	@Test
	void whenNothingIsDueThenTheNextRoundIsAPollIntervalAway() {
		assertThat(round(delivering((item) -> {
		})).run(this.failures, () -> true)).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.connects).hasValue(0);
	}

	@Test
	void whenAFullBatchIsDeliveredThenTheNextRoundStartsAtOnceAndAPartialOneWaitsThePollInterval() {
		this.properties.setBatchSize(2);
		add("<1@x>", "<2@x>", "<3@x>");
		RelayRound round = round(delivering((item) -> {
		}));
		assertThat(round.run(this.failures, () -> true)).isZero();
		// Past the busy count's interval, so that this round counts and nothing shortens its wait.
		this.clock.addAndGet(RelayRound.BUSY_STATS_INTERVAL.toNanos());
		assertThat(round.run(this.failures, () -> true)).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.delivered).containsExactly("<1@x>", "<2@x>", "<3@x>");
		assertThat(this.listener.delivered).hasValue(3);
		assertThat(round.stats().queued()).isZero();
	}

	@Test
	void whenABusyRoundLeavesItsCountOutThenTheNextRoundComesWhenTheCountIsDueNotAPollIntervalLater() {
		this.properties.setBatchSize(2);
		add("<1@x>", "<2@x>", "<3@x>");
		RelayRound round = round(delivering((item) -> {
		}));
		assertThat(round.run(this.failures, () -> true)).isZero();
		assertThat(round.stats().queued()).isOne();
		this.clock.addAndGet(Duration.ofMillis(300).toNanos());
		// The last item left, uncounted: without a shorter wait the count would say 1 for a whole poll interval.
		assertThat(round.run(this.failures, () -> true)).isEqualTo(Duration.ofMillis(700));
		assertThat(round.stats().queued()).isOne();
		this.clock.addAndGet(Duration.ofMillis(700).toNanos());
		assertThat(round.run(this.failures, () -> true)).isEqualTo(Duration.ofSeconds(7));
		assertThat(round.stats().queued()).isZero();
	}

	@Test
	void whenABatchOutlivesHalfItsLeaseThenItsRestIsGivenBackUnattempted() {
		add("<1@x>", "<2@x>", "<3@x>", "<4@x>");
		// Each delivery takes 2 s of the 10 s lease: items may start until 5 s have passed, at 0, 2 and 4 s.
		RelayRound round = round(delivering((item) -> this.clock.addAndGet(Duration.ofSeconds(2).toNanos())));
		assertThat(round.run(this.failures, () -> true)).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.delivered).containsExactly("<1@x>", "<2@x>", "<3@x>");
		// Given back, not left leased: claimable again at once, never attempted.
		assertThat(this.store.claim("mail", 10, LEASE)).singleElement().satisfies((item) -> {
			assertThat(item.id()).isEqualTo("<4@x>");
			assertThat(item.attempts()).isZero();
		});
	}

	@Test
	void whenTheRelayStopsThenTheItemsNotStartedAreGivenBack() {
		add("<1@x>", "<2@x>");
		AtomicInteger going = new AtomicInteger(1);
		RelayRound round = round(delivering((item) -> going.set(0)));
		round.run(this.failures, () -> going.get() > 0);
		assertThat(this.delivered).containsExactly("<1@x>");
		assertThat(this.store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<2@x>");
	}

	@Test
	void whenTheServiceFailsMidBatchThenTheRelayBacksOffAndTheItemInFlightWaitsOnItsOwnBackoff() {
		add("<1@x>", "<breaks@x>", "<3@x>");
		RelayRound round = round(delivering((item) -> {
			if (item.id().equals("<breaks@x>")) {
				throw new IOException("Connection reset");
			}
		}));
		Duration wait = round.run(this.failures, () -> true);
		assertThat(wait).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(this.failures.failures()).isOne();
		assertThat(this.failures.inOutage()).isTrue();
		assertThat(this.delivered).containsExactly("<1@x>");
		assertThat(this.listener.retried).hasValue(1);
		// The one behind it is due at once; the one that broke the server is not.
		assertThat(this.store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<3@x>");
		assertThat(this.store.stats("mail").queued()).isEqualTo(2);
	}

	@Test
	void whenConnectingFailsThenTheFirstItemIsChargedTheAttemptButStaysDue() {
		add("<1@x>", "<2@x>");
		RelayRound round = round(() -> {
			this.connects.incrementAndGet();
			throw new IOException("Connection refused");
		});
		assertThat(round.run(this.failures, () -> true)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(this.listener.retried).hasValue(1);
		assertThat(this.store.claim("mail", 10, LEASE)).extracting(OutboxItem::id, OutboxItem::attempts)
			.containsExactly(tuple("<1@x>", 1), tuple("<2@x>", 0));
	}

	@Test
	void whenTheServiceKeepsFailingThenEachRoundWaitsLonger() {
		add("<1@x>");
		RelayRound round = round(() -> {
			throw new IOException("Connection refused");
		});
		round.run(this.failures, () -> true);
		round.run(this.failures, () -> true);
		assertThat(round.run(this.failures, () -> true)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		assertThat(this.failures.failures()).isEqualTo(3);
	}

	@Test
	void whenTheGateRefusesTheCallThenNothingIsAttemptedNorCounted() {
		add("<1@x>");
		RelayRound round = new RelayRound("mail", this.store, delivering((item) -> {
		}), (call) -> {
			throw ServiceFailure.notPermitted(new IllegalStateException("CircuitBreaker 'mail' is OPEN"));
		}, this.properties, () -> true, this.listener, this.clock::get);
		assertThat(round.run(this.failures, () -> true)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(this.failures.failures()).isZero();
		assertThat(this.listener.retried).hasValue(0);
		assertThat(this.store.claim("mail", 10, LEASE)).singleElement()
			.satisfies((item) -> assertThat(item.attempts()).isZero());
	}

	@Test
	void whenAnItemIsRefusedForNowThenOnlyItWaitsOnItsOwnBackoff() {
		add("<later@x>", "<2@x>");
		RelayRound round = round(delivering((item) -> {
			if (item.id().equals("<later@x>")) {
				throw new RejectedItemException("421 try later", false, new IOException());
			}
		}));
		assertThat(round.run(this.failures, () -> true)).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.failures.backingOff()).isFalse();
		assertThat(this.delivered).containsExactly("<2@x>");
		assertThat(this.listener.retried).hasValue(1);
		assertThat(this.store.claim("mail", 10, LEASE)).isEmpty();
		assertThat(this.store.stats("mail").queued()).isOne();
	}

	@Test
	void whenTheServiceRefusesEveryItemWhenConnectingThenEachIsParked() {
		add("<1@x>", "<2@x>");
		RelayRound round = round(() -> {
			throw new RejectedItemException("535 bad credentials", true, new IOException());
		});
		assertThat(round.run(this.failures, () -> true)).isEqualTo(Duration.ofSeconds(7));
		assertThat(this.listener.parked).hasValue(2);
		assertThat(this.store.stats("mail").parked()).isEqualTo(2);
		assertThat(this.failures.backingOff()).isFalse();
	}

	@Test
	void whenTheStoreIsNotReadyThenNothingIsClaimedAndTheRoundBacksOff() {
		add("<1@x>");
		RelayRound round = new RelayRound("mail", this.store, delivering((item) -> {
		}), DeliveryGate.OPEN, this.properties, () -> false, this.listener, this.clock::get);
		assertThat(round.run(this.failures, () -> true)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(round.run(this.failures, () -> true)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
		assertThat(this.delivered).isEmpty();
		assertThat(this.store.claim("mail", 10, LEASE)).hasSize(1);
	}

	@Test
	void whenIdleRoundsFollowEachOtherThenTheQueueIsCountedOnlyEveryFewSeconds() {
		RelayRound round = round(delivering((item) -> {
		}));
		round.run(this.failures, () -> true);
		// Queued but not due, as an item waiting on its own backoff: every later round is idle.
		add("<later@x>");
		OutboxItem later = this.store.claim("mail", 1, LEASE).get(0);
		this.store.retry("mail", later, java.time.Instant.now().plusSeconds(3600), "421 try later");
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isZero();
		this.clock.addAndGet(RelayRound.IDLE_STATS_INTERVAL.toNanos() - 1);
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isZero();
		this.clock.addAndGet(1);
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isOne();
	}

	@Test
	void whenRoundsDeliverInQuickSuccessionThenTheQueueIsCountedOncePerSecondAndByTheNextIdleRound() {
		this.properties.setBatchSize(1);
		add("<1@x>", "<2@x>", "<3@x>");
		RelayRound round = round(delivering((item) -> {
		}));
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isEqualTo(2);
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isEqualTo(2);
		this.clock.addAndGet(RelayRound.BUSY_STATS_INTERVAL.toNanos());
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isZero();
		add("<4@x>");
		round.run(this.failures, () -> true);
		// Idle now, and long before the idle interval: the count the busy round left out is taken.
		add("<later@x>");
		OutboxItem later = this.store.claim("mail", 1, LEASE).get(0);
		this.store.retry("mail", later, java.time.Instant.now().plusSeconds(3600), "421 try later");
		round.run(this.failures, () -> true);
		assertThat(round.stats().queued()).isOne();
	}

	@Test
	void whenAWindowIsOpenThenItsItemsAreSentBeforeTheFirstAnswerIsAwaitedAndSettledInOneGo() {
		add("<1@x>", "<2@x>", "<3@x>", "<4@x>");
		List<String> events = new CopyOnWriteArrayList<>();
		SettleCounting counting = new SettleCounting(this.store);
		RelayRound round = new RelayRound("mail", counting, pipelining(3, events, (item) -> {
		}, (item) -> {
		}), DeliveryGate.OPEN, this.properties, () -> true, this.listener, this.clock::get);
		round.run(this.failures, () -> true);
		assertThat(events).containsExactly("send <1@x>", "send <2@x>", "send <3@x>", "await <1@x>", "send <4@x>",
				"await <2@x>", "await <3@x>", "await <4@x>");
		assertThat(this.listener.delivered).hasValue(4);
		// A window's worth at a time: three, then the last.
		assertThat(counting.settles).containsExactly(3, 1);
		assertThat(this.store.stats("mail").queued()).isZero();
	}

	@Test
	void whenAnAnswerInTheMiddleOfAWindowIsANackThenTheEarlierAreSettledItIsChargedAndTheLaterAreGivenBack() {
		add("<1@x>", "<2@x>", "<nacked@x>", "<4@x>", "<5@x>");
		List<String> events = new CopyOnWriteArrayList<>();
		AtomicInteger calls = new AtomicInteger();
		RelayRound round = new RelayRound("mail", this.store, pipelining(5, events, (item) -> {
		}, (item) -> {
			if (item.id().equals("<nacked@x>")) {
				throw new IOException("RabbitMQ did not confirm message <nacked@x> within 10000 ms");
			}
		}), (call) -> {
			calls.incrementAndGet();
			return call.get();
		}, this.properties, () -> true, this.listener, this.clock::get);
		Duration wait = round.run(this.failures, () -> true);
		assertThat(events).containsExactly("send <1@x>", "send <2@x>", "send <nacked@x>", "send <4@x>", "send <5@x>",
				"await <1@x>", "await <2@x>", "await <nacked@x>");
		// One call of the gate to connect, then one per item answered, as without a window.
		assertThat(calls).hasValue(4);
		assertThat(wait).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
		assertThat(this.failures.failures()).isOne();
		assertThat(this.listener.delivered).hasValue(2);
		assertThat(this.listener.retried).hasValue(1);
		// The two sent after it were never answered: given back for sending again at once, not charged.
		assertThat(this.store.claim("mail", 10, LEASE)).extracting(OutboxItem::id, OutboxItem::attempts)
			.containsExactly(tuple("<4@x>", 0), tuple("<5@x>", 0));
		assertThat(this.store.stats("mail").queued()).isEqualTo(3);
	}

	@Test
	void whenSendingFailsInTheMiddleOfAWindowThenTheItemsSentBeforeAreAnsweredAndOnlyTheFailedOneIsCharged() {
		add("<1@x>", "<2@x>", "<broken@x>", "<4@x>");
		List<String> events = new CopyOnWriteArrayList<>();
		RelayRound round = round(pipelining(4, events, (item) -> {
			if (item.id().equals("<broken@x>")) {
				throw new IOException("Connection reset");
			}
		}, (item) -> {
		}));
		round.run(this.failures, () -> true);
		// Nothing is sent after a failed send; the item behind it is given back unsent.
		assertThat(events).containsExactly("send <1@x>", "send <2@x>", "send <broken@x>", "await <1@x>",
				"await <2@x>");
		assertThat(this.listener.delivered).hasValue(2);
		assertThat(this.listener.retried).hasValue(1);
		assertThat(this.failures.failures()).isOne();
		assertThat(this.store.claim("mail", 10, LEASE)).extracting(OutboxItem::id, OutboxItem::attempts)
			.containsExactly(tuple("<4@x>", 0));
	}

	@Test
	void whenTheRelayStopsWithAWindowInFlightThenTheSentAreAnsweredAndTheUnsentGivenBack() {
		add("<1@x>", "<2@x>", "<3@x>", "<4@x>");
		List<String> events = new CopyOnWriteArrayList<>();
		AtomicInteger going = new AtomicInteger(1);
		RelayRound round = round(pipelining(2, events, (item) -> {
		}, (item) -> going.set(0)));
		round.run(this.failures, () -> going.get() > 0);
		assertThat(events).containsExactly("send <1@x>", "send <2@x>", "await <1@x>", "await <2@x>");
		assertThat(this.listener.delivered).hasValue(2);
		assertThat(this.store.claim("mail", 10, LEASE)).extracting(OutboxItem::id, OutboxItem::attempts)
			.containsExactly(tuple("<3@x>", 0), tuple("<4@x>", 0));
	}

	private OutboxDelivery pipelining(int window, List<String> events, Sending sending, Sending answering) {
		return () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) throws Exception {
				throw new AssertionError("A connection with a window is sent to, not delivered to");
			}

			@Override
			public OutboxDelivery.Sent send(OutboxItem item) throws Exception {
				events.add("send " + item.id());
				sending.send(item);
				return () -> {
					events.add("await " + item.id());
					answering.send(item);
				};
			}

			@Override
			public int window() {
				return window;
			}

			@Override
			public void close() {
			}

		};
	}

	private RelayRound round(OutboxDelivery delivery) {
		return new RelayRound("mail", this.store, delivery, DeliveryGate.OPEN, this.properties, () -> true,
				this.listener, this.clock::get);
	}

	private OutboxDelivery delivering(Sending sending) {
		return () -> {
			this.connects.incrementAndGet();
			return new OutboxDelivery.Connection() {

				@Override
				public void deliver(OutboxItem item) throws Exception {
					sending.send(item);
					RelayRoundTests.this.delivered.add(item.id());
				}

				@Override
				public void close() {
				}

			};
		};
	}

	private void add(String... ids) {
		for (String id : ids) {
			this.store.add("mail", id, OutboxStoreContractTests.bytes(id));
		}
	}

	@FunctionalInterface
	private interface Sending {

		void send(OutboxItem item) throws Exception;

	}

	/**
	 * A store that counts the items of each call that removes delivered items.
	 */
	private static final class SettleCounting implements OutboxStore {

		final List<Integer> settles = new CopyOnWriteArrayList<>();

		private final OutboxStore store;

		SettleCounting(OutboxStore store) {
			this.store = store;
		}

		@Override
		public void add(String channel, OutboxMessage message) {
			this.store.add(channel, message);
		}

		@Override
		public List<OutboxItem> claim(String channel, int max, Duration lease) {
			return this.store.claim(channel, max, lease);
		}

		@Override
		public void delivered(String channel, OutboxItem item) {
			delivered(channel, List.of(item));
		}

		@Override
		public void delivered(String channel, List<OutboxItem> items) {
			this.settles.add(items.size());
			this.store.delivered(channel, items);
		}

		@Override
		public void retry(String channel, OutboxItem item, java.time.Instant notBefore, String error) {
			this.store.retry(channel, item, notBefore, error);
		}

		@Override
		public void release(String channel, List<OutboxItem> items) {
			this.store.release(channel, items);
		}

		@Override
		public void park(String channel, OutboxItem item, String reason) {
			this.store.park(channel, item, reason);
		}

		@Override
		public int requeueParked(String channel) {
			return this.store.requeueParked(channel);
		}

		@Override
		public OutboxStats stats(String channel) {
			return this.store.stats(channel);
		}

		@Override
		public String location() {
			return this.store.location();
		}

	}

	private static final class Counting implements OutboxListener {

		final AtomicInteger delivered = new AtomicInteger();

		final AtomicInteger retried = new AtomicInteger();

		final AtomicInteger parked = new AtomicInteger();

		@Override
		public void delivered(int count) {
			this.delivered.addAndGet(count);
		}

		@Override
		public void retried(int count) {
			this.retried.addAndGet(count);
		}

		@Override
		public void parked(int count) {
			this.parked.addAndGet(count);
		}

	}

}
