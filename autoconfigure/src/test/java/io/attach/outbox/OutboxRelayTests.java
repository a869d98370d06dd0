package io.attach.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import io.attach.resilience.ResourceCircuitBreaker;
import io.attach.resilience.ResourceCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OutboxRelay}'s own behaviour — failures of the relay thread, a mail that breaks the server, an
 * open breaker, a restart during a delivery, an outage's log — with a {@link FileOutboxStore} on disk and a scripted
 * {@link OutboxDelivery}, since no real server fails on cue in these ways.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class OutboxRelayTests {

	// Servers' own threads may throw on purpose here (a refused handshake): only the condition decides.
	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	@TempDir
	Path directory;

	private FileOutboxStore store;

	private OutboxRelay relay;

	private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();

	private final CountingListener listener = new CountingListener();

	private final Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

	@AfterEach
	void stop() throws IOException {
		if (this.relay != null) {
			this.relay.stop();
		}
		if (this.store != null) {
			this.store.close();
		}
	}

	@Test
	void whenADeliveryThrowsAnErrorThenTheRelayGoesOnDelivering() {
		AtomicInteger calls = new AtomicInteger();
		start(null, (item) -> {
			if (calls.incrementAndGet() == 1) {
				throw new OutOfMemoryError("simulated");
			}
		});
		enqueue("<1@x>", "<2@x>");
		awaitDelivered("<1@x>", "<2@x>");
	}

	@Test
	void whenOneItemAlwaysBreaksTheServerThenTheItemsBehindItAreStillDelivered() {
		start(null, (item) -> {
			if (item.id().equals("<poison@x>")) {
				throw new IOException("Connection reset while sending DATA");
			}
		});
		enqueue("<poison@x>", "<1@x>", "<2@x>");
		awaitDelivered("<1@x>", "<2@x>");
		assertThat(this.delivered).doesNotContainKey("<poison@x>");
		assertThat(this.store.stats("mail").queued()).isEqualTo(1);
		// Neither dropped nor parked: tried again after its own backoff, and each attempt counted once, in the store
		// and for the metrics.
		EVENTUALLY.until(this.listener.retried::get, (retried) -> retried >= 2);
		this.relay.stop();
		OutboxItem poison = EVENTUALLY.until(() -> this.store.claim("mail", 10, Duration.ofMinutes(1)),
				(items) -> !items.isEmpty())
			.get(0);
		assertThat(poison.id()).isEqualTo("<poison@x>");
		assertThat(poison.attempts()).isEqualTo(this.listener.retried.get()).isGreaterThanOrEqualTo(2);
		assertThat(this.store.stats("mail").parked()).isZero();
	}

	@Test
	void whenItemsKeepComingThenTheRelayLingersAndTheyLeaveTogetherButTheFirstAfterAQuietSpellLeavesAtOnce() {
		AtomicInteger connects = new AtomicInteger();
		start(null, (item) -> {
		}, connects, (properties) -> {
			// Only enqueues start a round, and three enqueues are far from a batch's worth: the three that follow the
			// first round leave together when the linger ends. A wake of the first item that arrives after its round
			// claimed it only adds one to the count, still below the batch.
			properties.setPollInterval(Duration.ofHours(1));
			properties.setLinger(Duration.ofSeconds(5));
			properties.setBatchSize(10);
		});
		enqueue("<1@x>");
		awaitDelivered("<1@x>");
		assertThat(connects).hasValue(1);
		enqueue("<2@x>", "<3@x>", "<4@x>");
		awaitDelivered("<2@x>", "<3@x>", "<4@x>");
		assertThat(connects).hasValue(2);
	}

	@Test
	void whenTheBreakerIsOpenThenNothingIsAttemptedNorCountedUntilItCloses() {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
		ResourceCircuitBreaker breaker = new ResourceCircuitBreakers(registry, TimeLimiterRegistry.ofDefaults(), null,
				false)
			.forResource(resource());
		registry.circuitBreaker("mail").transitionToForcedOpenState();
		AtomicInteger connects = new AtomicInteger();
		start(breaker, (item) -> {
		}, connects);
		enqueue("<1@x>");
		EVENTUALLY.until(() -> this.relay.getStats().queued(), (queued) -> queued == 1);
		assertThat(connects).hasValue(0);
		assertThat(this.listener.retried).hasValue(0);
		registry.circuitBreaker("mail").transitionToClosedState();
		awaitDelivered("<1@x>");
	}

	@Test
	void whenStoppedDuringASlowDeliveryAndStartedAgainThenEachItemIsDeliveredOnceByOneThread() throws Exception {
		CountDownLatch slow = new CountDownLatch(1);
		CountDownLatch sending = new CountDownLatch(1);
		start(null, (item) -> {
			if (item.id().equals("<slow@x>")) {
				sending.countDown();
				// Longer than stop() waits for the thread (its grace): the old thread is still here when start() runs.
				slow.await(30, TimeUnit.SECONDS);
			}
		});
		enqueue("<slow@x>", "<1@x>", "<2@x>");
		assertThat(sending.await(20, TimeUnit.SECONDS)).isTrue();
		this.relay.stop();
		this.relay.start();
		slow.countDown();
		awaitDelivered("<slow@x>", "<1@x>", "<2@x>");
		EVENTUALLY.until(this::relayThreads, (threads) -> threads == 1);
		enqueue("<3@x>");
		awaitDelivered("<3@x>");
		assertThat(this.delivered).allSatisfy((id, count) -> assertThat(count).as(id).hasValue(1));
	}

	@Test
	void whenTheServiceFailsManyTimesThenTheOutageIsReportedOnceWhenItBeginsAndOnceWhenItEnds(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		start(null, (item) -> {
			if (attempts.incrementAndGet() <= 12) {
				throw new IOException("Connection refused");
			}
		});
		// Between two attempts the only item waits on its own backoff, and the relay finds nothing due.
		enqueue("<1@x>");
		awaitDelivered("<1@x>");
		EVENTUALLY.until(() -> lines(output, "delivering again after"), (lines) -> lines == 1);
		assertThat(lines(output, " WARN ")).isOne();
		assertThat(output).contains("delivering again after 12 failed attempt(s)");
	}

	@Test
	void whenTheItemsOfAnOutageAreDeliveredElsewhereThenTheOutageEndsAndNewItemsGoOutAtOnce(CapturedOutput output) {
		AtomicInteger attempts = new AtomicInteger();
		AtomicBoolean failing = new AtomicBoolean(true);
		start(null, (item) -> {
			if (failing.get()) {
				if (attempts.incrementAndGet() == 3) {
					// As when another instance delivered it, or an operator removed it, after this one's lease ran out.
					this.store.delivered("mail", item);
				}
				throw new IOException("Connection refused");
			}
		});
		enqueue("<1@x>");
		EVENTUALLY.until(() -> lines(output, "no item is queued any more after 3 failed attempt(s)"),
				(lines) -> lines == 1);
		assertThat(attempts).hasValue(3);
		assertThat(this.delivered).isEmpty();
		failing.set(false);
		enqueue("<2@x>");
		awaitDelivered("<2@x>");
		assertThat(lines(output, " WARN ")).isOne();
	}

	@Test
	void whenAThreadFromAnEarlierStartSettlesItsLastItemThenTheCurrentThreadsOutageGoesOn(CapturedOutput output)
			throws Exception {
		CountDownLatch slow = new CountDownLatch(1);
		CountDownLatch sending = new CountDownLatch(1);
		AtomicBoolean failing = new AtomicBoolean(true);
		start(null, (item) -> {
			if (item.id().equals("<slow@x>")) {
				sending.countDown();
				slow.await(30, TimeUnit.SECONDS);
			}
			else if (failing.get()) {
				throw new IOException("Connection refused");
			}
		});
		enqueue("<slow@x>");
		assertThat(sending.await(20, TimeUnit.SECONDS)).isTrue();
		this.relay.stop();
		this.relay.start();
		enqueue("<1@x>");
		EVENTUALLY.until(() -> lines(output, "delivery failed"), (lines) -> lines == 1);
		// The earlier thread's delivery succeeds while the service still fails for the current thread.
		slow.countDown();
		awaitDelivered("<slow@x>");
		EVENTUALLY.until(this::relayThreads, (threads) -> threads == 1);
		assertThat(lines(output, "delivering again")).isZero();
		failing.set(false);
		awaitDelivered("<1@x>");
		EVENTUALLY.until(() -> lines(output, "delivering again after"), (lines) -> lines == 1);
	}

	private static long lines(CapturedOutput output, String text) {
		// Whichever the log format, plain Logback's or Boot's once a test started Boot's logging system.
		return output.getOut()
			.lines()
			.filter((line) -> line.contains("Outbox mail: ") && line.contains(text))
			.count();
	}

	private void start(ResourceCircuitBreaker breaker, Sending sending) {
		start(breaker, sending, new AtomicInteger());
	}

	private void start(ResourceCircuitBreaker breaker, Sending sending, AtomicInteger connects) {
		start(breaker, sending, connects, (properties) -> {
		});
	}

	private void start(ResourceCircuitBreaker breaker, Sending sending, AtomicInteger connects,
			Consumer<AttachOutboxProperties> settings) {
		this.store = new FileOutboxStore(this.directory);
		AttachOutboxProperties properties = new AttachOutboxProperties();
		properties.setPollInterval(Duration.ofMillis(50));
		properties.getRetry().setInitialInterval(Duration.ofMillis(20));
		properties.getRetry().setMaxInterval(Duration.ofMillis(100));
		properties.setShutdownGrace(Duration.ofMillis(500));
		settings.accept(properties);
		OutboxDelivery delivery = () -> {
			connects.incrementAndGet();
			return new OutboxDelivery.Connection() {

				@Override
				public void deliver(OutboxItem item) throws Exception {
					sending.send(item);
					OutboxRelayTests.this.delivered.computeIfAbsent(item.id(), (id) -> new AtomicInteger())
						.incrementAndGet();
				}

				@Override
				public void close() {
				}

			};
		};
		this.relay = new OutboxRelay("mail", this.store, delivery, breaker, properties, () -> true, this.listener);
		this.relay.start();
	}

	private void enqueue(String... ids) {
		for (String id : ids) {
			this.store.add("mail", id, id.getBytes());
			this.relay.wake();
		}
	}

	private void awaitDelivered(String... ids) {
		EVENTUALLY.until(() -> this.delivered.keySet(), (keys) -> keys.containsAll(List.of(ids)));
	}

	private long relayThreads() {
		// Only this test's: a context cached by another test class in this JVM may run an outbox of its own.
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().equals("attach-outbox-mail"))
			.filter((thread) -> !this.threadsBefore.contains(thread))
			.count();
	}

	private static AttachedResource resource() {
		return new AttachedResource("mail", ResourceKinds.named("mail").orElseThrow(), "SMTP_URL",
				ResourceUrl.of("SMTP_URL", "smtp://mail"), ReadinessRole.DEGRADABLE);
	}

	@FunctionalInterface
	private interface Sending {

		void send(OutboxItem item) throws Exception;

	}

	private static final class CountingListener implements OutboxListener {

		final AtomicInteger retried = new AtomicInteger();

		@Override
		public void retried(int count) {
			this.retried.addAndGet(count);
		}

	}

}
