package io.attach.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of a rolling restart: two instances of one application share a table (two {@link JdbcOutboxStore}s, each
 * with a connection pool of its own, on one H2 database), and one of them stops while it is delivering.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxRelayRestartTests {

	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	// Far longer than the test may take: an item that waited for its lease would fail it.
	private static final Duration LEASE = Duration.ofMinutes(2);

	private final String url = "jdbc:h2:mem:restart-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	private final HikariDataSource stopping = pool();

	private final HikariDataSource staying = pool();

	private final Map<String, List<String>> deliveries = new ConcurrentHashMap<>();

	private final CountDownLatch sending = new CountDownLatch(1);

	private OutboxRelay stayingRelay;

	@AfterEach
	void close() {
		if (this.stayingRelay != null) {
			this.stayingRelay.stop();
		}
		new JdbcTemplate(this.staying).execute("SHUTDOWN");
		this.stopping.close();
		this.staying.close();
	}

	@Test
	void whenAnInstanceStopsDuringADeliveryThenItSettlesItAndTheOtherInstanceTakesTheRestAtOnce() throws Exception {
		// Longer than the 2 s that stopping used to wait, well within the grace.
		OutboxRelay stoppingRelay = relay("stopping", this.stopping, Duration.ofSeconds(20), () -> Thread.sleep(3000));
		enqueue(5);
		stoppingRelay.start();
		assertThat(this.sending.await(20, TimeUnit.SECONDS)).isTrue();
		this.stayingRelay = relay("staying", this.staying, Duration.ofSeconds(20), () -> {
		});
		this.stayingRelay.start();
		stoppingRelay.stop();
		// As the application context does once its relays stopped: nothing the stopping instance left undone can
		// be done any more.
		this.stopping.close();
		assertThat(queued("<0@x>")).as("settled within the grace").isZero();
		EVENTUALLY.until(() -> this.deliveries.size() == 5);
		assertThat(this.deliveries).allSatisfy((id, by) -> assertThat(by).as(id).hasSize(1));
		assertThat(this.deliveries.get("<0@x>")).containsExactly("stopping");
		assertThat(this.deliveries.get("<4@x>")).containsExactly("staying");
	}

	@Test
	void whenTheDeliveryInFlightOutlastsTheGraceThenTheRestIsGivenBackAndTheItemInFlightIsNotSentTwice(
			CapturedOutput output) throws Exception {
		CountDownLatch answer = new CountDownLatch(1);
		OutboxRelay stoppingRelay = relay("stopping", this.stopping, Duration.ofMillis(300),
				() -> answer.await(20, TimeUnit.SECONDS));
		enqueue(5);
		stoppingRelay.start();
		assertThat(this.sending.await(20, TimeUnit.SECONDS)).isTrue();
		this.stayingRelay = relay("staying", this.staying, Duration.ofSeconds(20), () -> {
		});
		this.stayingRelay.start();
		stoppingRelay.stop();
		EVENTUALLY.until(() -> this.deliveries.size() == 4);
		assertThat(this.deliveries).doesNotContainKey("<0@x>");
		assertThat(output).contains("delivery of <0@x> still in progress after attach.outbox.shutdown-grace (PT0.3S);"
				+ " gave back 4 unsent item(s) to other instances; <0@x> stays leased");
		answer.countDown();
		EVENTUALLY.until(() -> queued("<0@x>") == 0);
		assertThat(this.deliveries).hasSize(5).allSatisfy((id, by) -> assertThat(by).as(id).hasSize(1));
		assertThat(this.deliveries.get("<0@x>")).containsExactly("stopping");
	}

	private OutboxRelay relay(String name, HikariDataSource pool, Duration grace, Slowness slowness) {
		JdbcOutboxStore store = new JdbcOutboxStore(pool, "attach_outbox", "shop");
		assertThat(store.initialize()).isTrue();
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setPollInterval(Duration.ofMillis(50));
		properties.setLease(LEASE);
		properties.setShutdownGrace(grace);
		OutboxDelivery delivery = () -> new OutboxDelivery.Connection() {

			@Override
			public void deliver(OutboxItem item) throws Exception {
				if (item.id().equals("<0@x>")) {
					OutboxRelayRestartTests.this.sending.countDown();
					slowness.await();
				}
				OutboxRelayRestartTests.this.deliveries.computeIfAbsent(item.id(), (id) -> new CopyOnWriteArrayList<>())
					.add(name);
			}

			@Override
			public void close() {
			}

		};
		return new OutboxRelay("mail", store, delivery, null, properties, store::initialize, OutboxListener.NONE);
	}

	private void enqueue(int count) {
		JdbcOutboxStore store = new JdbcOutboxStore(this.staying, "attach_outbox", "shop");
		assertThat(store.initialize()).isTrue();
		for (int i = 0; i < count; i++) {
			store.add("mail", "<" + i + "@x>", OutboxStoreContractTests.bytes("m" + i));
		}
	}

	private long queued(String id) {
		return new JdbcTemplate(this.staying).queryForObject("SELECT COUNT(*) FROM attach_outbox WHERE item_id = ?",
				Long.class, id);
	}

	private HikariDataSource pool() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(this.url);
		pool.setMaximumPoolSize(2);
		return pool;
	}

	@FunctionalInterface
	private interface Slowness {

		void await() throws Exception;

	}

}
