package io.attach.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link OutboxStore} must have, run against each store on a real database or disk.
 *
 * @author attach
 */
abstract class OutboxStoreContractTests {

	// Servers' own threads may throw on purpose here (a refused handshake): only the condition decides.
	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	static final Duration LEASE = Duration.ofMinutes(1);

	/**
	 * Returns the store under test, a fresh instance over the same storage on each call.
	 * @return the store
	 */
	abstract OutboxStore store();

	/**
	 * Returns a transaction manager whose transactions the store takes part in or follows.
	 * @return the transaction manager
	 */
	abstract PlatformTransactionManager transactionManager();

	@Test
	void whenItemsAreAddedThenTheyAreClaimedOldestFirstWithTheirBytes() {
		OutboxStore store = store();
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		List<OutboxItem> items = store.claim("mail", 10, LEASE);
		assertThat(items).extracting(OutboxItem::id).containsExactly("<1@x>", "<2@x>");
		assertThat(items).extracting((item) -> text(item.payload())).containsExactly("one", "two");
		assertThat(items).allSatisfy((item) -> {
			assertThat(item.attempts()).isZero();
			assertThat(item.enqueuedAt()).isBefore(Instant.now().plusSeconds(1));
		});
	}

	@Test
	void whenClaimIsLimitedThenTheOldestAreClaimed() {
		OutboxStore store = store();
		for (int i = 0; i < 5; i++) {
			store.add("mail", "<" + i + "@x>", bytes("m" + i));
		}
		assertThat(store.claim("mail", 2, LEASE)).extracting(OutboxItem::id).containsExactly("<0@x>", "<1@x>");
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id)
			.containsExactly("<2@x>", "<3@x>", "<4@x>");
	}

	@Test
	void whenItemsAreLeasedThenTheyAreNotClaimedAgainUntilReleased() {
		OutboxStore store = store();
		store.add("mail", "<1@x>", bytes("one"));
		List<OutboxItem> claimed = store.claim("mail", 10, LEASE);
		assertThat(store.claim("mail", 10, LEASE)).isEmpty();
		store.release("mail", claimed);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>");
	}

	@Test
	void whenLeaseExpiresThenItemsAreClaimedAgain() {
		OutboxStore store = store();
		store.add("mail", "<1@x>", bytes("one"));
		assertThat(store.claim("mail", 10, Duration.ofMillis(1))).hasSize(1);
		assertThat(EVENTUALLY.until(() -> store.claim("mail", 10, LEASE), (items) -> !items.isEmpty()))
			.extracting(OutboxItem::id)
			.containsExactly("<1@x>");
	}

	@Test
	void whenItemIsDeliveredThenItIsGone() {
		OutboxStore store = store();
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		store.delivered("mail", store.claim("mail", 1, LEASE).get(0));
		store.release("mail", List.of());
		assertThat(store.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked).containsExactly(1L, 0L);
		// Gone from the storage, not only from this instance's memory: a restart does not send it again.
		OutboxStore reopened = store();
		assertThat(reopened.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked)
			.containsExactly(1L, 0L);
		assertThat(reopened.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<2@x>");
	}

	@Test
	void whenSeveralItemsAreDeliveredTogetherThenExactlyThoseAreGone() {
		OutboxStore store = store();
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		store.add("mail", "<3@x>", bytes("three"));
		List<OutboxItem> claimed = store.claim("mail", 3, LEASE);
		store.delivered("mail", List.of(claimed.get(0), claimed.get(2)));
		store.release("mail", List.of(claimed.get(1)));
		OutboxStore reopened = store();
		assertThat(reopened.stats("mail").queued()).isOne();
		assertThat(reopened.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<2@x>");
	}

	@Test
	void whenItemIsRetriedThenItWaitsUntilDueAndCountsTheAttempt() {
		OutboxStore store = store();
		store.add("mail", "<later@x>", bytes("later"));
		store.add("mail", "<now@x>", bytes("now"));
		List<OutboxItem> claimed = store.claim("mail", 10, LEASE);
		store.retry("mail", claimed.get(0), Instant.now().plusSeconds(3600), "421 try later");
		store.retry("mail", claimed.get(1), Instant.now().minusMillis(1), "connection refused");
		assertThat(store.claim("mail", 10, LEASE)).singleElement().satisfies((item) -> {
			assertThat(item.id()).isEqualTo("<now@x>");
			assertThat(item.attempts()).isEqualTo(1);
		});
		assertThat(store.stats("mail").queued()).isEqualTo(2);
	}

	@Test
	void whenItemIsParkedThenItIsKeptCountedAndNotClaimedUntilRequeued() {
		OutboxStore store = store();
		store.add("mail", "<bad@x>", bytes("bad"));
		store.add("mail", "<good@x>", bytes("good"));
		List<OutboxItem> claimed = store.claim("mail", 10, LEASE);
		store.park("mail", claimed.get(0), "535 authentication failed");
		store.release("mail", claimed.subList(1, 2));
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<good@x>");
		OutboxStats stats = store.stats("mail");
		assertThat(stats.queued()).isEqualTo(1);
		assertThat(stats.parked()).isEqualTo(1);
		assertThat(store.requeueParked("mail")).isEqualTo(1);
		assertThat(store.stats("mail").parked()).isZero();
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<bad@x>");
	}

	@Test
	void whenItemsAreParkedThenEachCanBeListedRequeuedOrDiscarded() {
		OutboxStore store = store();
		Instant before = Instant.now().minusMillis(1);
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		store.add("mail", "<3@x>", bytes("three"));
		store.add("messages", "<1@x>", bytes("other channel"));
		List<OutboxItem> claimed = store.claim("mail", 10, LEASE);
		store.park("mail", claimed.get(0), "550 no such user");
		store.park("mail", claimed.get(1), "552 too large");
		store.release("mail", claimed.subList(2, 3));
		store.park("messages", store.claim("messages", 1, LEASE).get(0), "returned");
		List<ParkedItem> parked = store.parked("mail", 10);
		assertThat(parked).extracting(ParkedItem::id, ParkedItem::lastError)
			.containsExactly(tuple("<1@x>", "550 no such user"), tuple("<2@x>", "552 too large"));
		assertThat(parked.get(0).enqueuedAt()).isAfter(before).isBefore(Instant.now().plusMillis(1));
		if (store instanceof JdbcOutboxStore) {
			assertThat(parked).extracting(ParkedItem::attempts).containsExactly(1, 1);
		}
		assertThat(store.parked("mail", 1)).extracting(ParkedItem::id).containsExactly("<1@x>");
		assertThat(store.discardParked("mail", "<1@x>")).isTrue();
		assertThat(store.discardParked("mail", "<1@x>")).isFalse();
		assertThat(store.discardParked("mail", "<3@x>")).as("queued, not parked").isFalse();
		assertThat(store.requeueParked("mail", "<3@x>")).as("queued, not parked").isFalse();
		assertThat(store.requeueParked("mail", "<2@x>")).isTrue();
		assertThat(store.parked("mail", 10)).isEmpty();
		assertThat(store.stats("mail").parked()).isZero();
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<2@x>", "<3@x>");
		assertThat(store.parked("messages", 10)).extracting(ParkedItem::id).containsExactly("<1@x>");
		assertThat(store.stats("messages").parked()).isOne();
	}

	@Test
	void whenStatsAreReadThenTheOldestQueuedItemIsReported() {
		OutboxStore store = store();
		assertThat(store.stats("mail")).isEqualTo(new OutboxStats(0, 0, null));
		Instant before = Instant.now().minusMillis(1);
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		OutboxStats stats = store.stats("mail");
		assertThat(stats.queued()).isEqualTo(2);
		assertThat(stats.oldest()).isAfter(before).isBefore(Instant.now().plusMillis(1));
	}

	@Test
	void whenChannelsDifferThenTheirItemsAreSeparate() {
		OutboxStore store = store();
		store.add("mail", "<m@x>", bytes("mail"));
		store.add("messages", "m-1", bytes("message"));
		assertThat(store.claim("messages", 10, LEASE)).extracting(OutboxItem::id).containsExactly("m-1");
		assertThat(store.stats("mail").queued()).isEqualTo(1);
	}

	@Test
	void whenStoreIsOpenedAgainThenQueuedAndParkedItemsAreStillThere() {
		OutboxStore store = store();
		store.add("mail", "<1@x>", bytes("one"));
		store.add("mail", "<2@x>", bytes("two"));
		store.park("mail", store.claim("mail", 1, LEASE).get(0), "550 no such user");
		OutboxStore reopened = store();
		assertThat(reopened.stats("mail").parked()).isEqualTo(1);
		assertThat(reopened.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<2@x>");
		reopened.add("mail", "<3@x>", bytes("three"));
		assertThat(reopened.requeueParked("mail")).isEqualTo(1);
		assertThat(reopened.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<1@x>", "<3@x>");
	}

	@Test
	void whenTheCallersTransactionRollsBackThenTheItemIsGone() {
		OutboxStore store = store();
		TransactionTemplate transaction = new TransactionTemplate(transactionManager());
		transaction.executeWithoutResult((status) -> {
			store.add("mail", "<rolled-back@x>", bytes("no"));
			status.setRollbackOnly();
		});
		transaction.executeWithoutResult((status) -> store.add("mail", "<committed@x>", bytes("yes")));
		// Neither queued nor parked, here or after a restart: the caller was told it failed.
		assertThat(store.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked).containsExactly(1L, 0L);
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<committed@x>");
		OutboxStore reopened = store();
		assertThat(reopened.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked)
			.containsExactly(1L, 0L);
		assertThat(reopened.requeueParked("mail")).isZero();
	}

	@Test
	void whenAMessageHasAnEnvelopeThenItIsClaimedWithItAlsoAfterARestart() {
		OutboxStore store = store();
		OutboxMessage message = OutboxMessage.of("m-1", bytes("{\"total\": 42}"))
			.withContentType("application/json")
			.withKey("orders.created")
			.withHeader("tenant", "eu & us = all")
			.withHeader("trace", "ü-1");
		store.add("messages", message);
		store.add("messages", "m-2", bytes("plain"));
		OutboxItem item = store.claim("messages", 1, LEASE).get(0);
		assertThat(item.message()).usingRecursiveComparison().isEqualTo(message);
		assertThat(item.message().headers()).containsExactly(entry("tenant", "eu & us = all"), entry("trace", "ü-1"));
		store.release("messages", List.of(item));
		assertThat(store().claim("messages", 10, LEASE)).extracting(OutboxItem::message).satisfiesExactly(
				(first) -> assertThat(first).usingRecursiveComparison().isEqualTo(message), (second) -> {
					assertThat(second.contentType()).isNull();
					assertThat(second.key()).isNull();
					assertThat(second.headers()).isEmpty();
				});
	}

	@Test
	void whenTwoChannelsShareTheStoreThenEachOutboxDeliversOnlyItsOwnItems() {
		OutboxStore store = store();
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setPollInterval(Duration.ofMillis(50));
		Outboxes outboxes = new Outboxes(() -> store, properties, List.of());
		Map<String, List<OutboxMessage>> received = new ConcurrentHashMap<>();
		Outbox mail = outboxes.create(resource("mail"), recording("mail", received));
		Outbox messages = outboxes.create(resource("messages"), recording("messages", received));
		mail.start();
		messages.start();
		try {
			mail.enqueue("<1@x>", bytes("mail one"));
			messages.enqueue(OutboxMessage.of("m-1", bytes("message one")).withKey("orders"));
			mail.enqueue("<2@x>", bytes("mail two"));
			EVENTUALLY.until(() -> received.values().stream().mapToInt(List::size).sum(), (count) -> count == 3);
			assertThat(received.get("mail")).extracting(OutboxMessage::id).containsExactly("<1@x>", "<2@x>");
			assertThat(received.get("messages")).extracting(OutboxMessage::id, OutboxMessage::key)
				.containsExactly(tuple("m-1", "orders"));
		}
		finally {
			mail.stop();
			messages.stop();
		}
	}

	private static OutboxDelivery recording(String channel, Map<String, List<OutboxMessage>> received) {
		return () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) {
				received.computeIfAbsent(channel, (key) -> new CopyOnWriteArrayList<>()).add(item.message());
			}

			@Override
			public void close() {
			}

		};
	}

	static AttachedResource resource(String name) {
		// Any kind will do: the outbox knows none; its channel is the resource's name.
		return new AttachedResource(name, ResourceKinds.named("mail").orElseThrow(), "SMTP_URL",
				ResourceUrl.of("SMTP_URL", "smtp://mail"), ReadinessRole.DEGRADABLE);
	}

	@Test
	void whenTheCallersTransactionIsOpenThenTheItemIsNotYetClaimable() {
		OutboxStore store = store();
		TransactionTemplate transaction = new TransactionTemplate(transactionManager());
		transaction.executeWithoutResult((status) -> {
			store.add("mail", "<pending@x>", bytes("pending"));
			// The relay claims on a thread and connection of its own.
			assertThat(CompletableFuture.supplyAsync(() -> store.claim("mail", 10, LEASE)).join()).isEmpty();
		});
		assertThat(store.claim("mail", 10, LEASE)).extracting(OutboxItem::id).containsExactly("<pending@x>");
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

}
