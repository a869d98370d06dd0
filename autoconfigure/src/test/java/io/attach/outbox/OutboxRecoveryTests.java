package io.attach.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.attach.health.ResourceHealthMonitor;
import io.attach.resilience.ResourceCircuitBreaker;
import io.attach.resilience.ResourceCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for how an outbox's relay waits: its backoff holds against enqueues, and ends at once when the resource's
 * health check finds it up again, letting an open breaker probe.
 *
 * @author attach
 */
class OutboxRecoveryTests {

	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	@TempDir
	Path directory;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final AttachOutboxProperties properties = new AttachOutboxProperties();

	private final List<Long> connects = new CopyOnWriteArrayList<>();

	private final List<String> delivered = new CopyOnWriteArrayList<>();

	private final AtomicBoolean failing = new AtomicBoolean(true);

	@AfterEach
	void close() throws Exception {
		for (int i = this.closeables.size() - 1; i >= 0; i--) {
			this.closeables.get(i).close();
		}
	}

	@Test
	void whenTheRelayBacksOffThenItWaitsOutEveryBackoffEvenWhenItemsAreEnqueued() {
		this.properties.getRetry().setInitialInterval(Duration.ofMillis(400));
		this.properties.getRetry().setMaxInterval(Duration.ofMillis(400));
		Outbox outbox = start(null);
		for (int i = 0; i < 4; i++) {
			int before = this.connects.size();
			outbox.enqueue("<" + i + "@x>", OutboxStoreContractTests.bytes("mail"));
			EVENTUALLY.until(this.connects::size, (connects) -> connects > before);
		}
		// Drawn from [200, 400] ms: a relay that never waits, or that an enqueue wakes, connects sooner.
		for (int i = 1; i < this.connects.size(); i++) {
			assertThat(this.connects.get(i) - this.connects.get(i - 1)).as("wait before attempt " + i)
				.isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
		}
	}

	@Test
	void whenIdleThenTheRelayLooksForItemsOncePerPollInterval() {
		this.properties.setPollInterval(Duration.ofMillis(300));
		List<Long> claims = new CopyOnWriteArrayList<>();
		FileOutboxStore files = new FileOutboxStore(this.directory);
		this.closeables.add(files);
		OutboxRelay relay = new OutboxRelay("mail", new CountingStore(files, claims), delivery(), null,
				this.properties, () -> true, OutboxListener.NONE);
		relay.start();
		this.closeables.add(relay::stop);
		EVENTUALLY.until(claims::size, (count) -> count >= 3);
		for (int i = 1; i < claims.size(); i++) {
			assertThat(claims.get(i) - claims.get(i - 1)).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
		}
	}

	@Test
	void whenTheHealthCheckFindsTheResourceUpAgainThenTheRelayEndsItsBackoffAndDelivers() {
		this.properties.getRetry().setInitialInterval(Duration.ofHours(1));
		this.properties.getRetry().setMaxInterval(Duration.ofHours(1));
		Outbox outbox = start(null);
		AtomicReference<Status> status = new AtomicReference<>(Status.DOWN);
		ResourceHealthMonitor monitor = new ResourceHealthMonitor(Duration.ofSeconds(1), Duration.ofMillis(50),
				List.of());
		this.closeables.add(monitor::destroy);
		this.closeables.add(monitor::stop);
		monitor.addStatusListener("mail", new RecoveryWake(outbox::recovered));
		monitor.monitor(OutboxStoreContractTests.resource("mail"), () -> Health.status(status.get()).build());
		monitor.start();
		outbox.enqueue("<1@x>", OutboxStoreContractTests.bytes("one"));
		EVENTUALLY.until(this.connects::size, (connects) -> connects == 1);
		// Back, but the relay waits an hour unless the health check tells it.
		this.failing.set(false);
		status.set(Status.UP);
		EVENTUALLY.until(() -> this.delivered, (delivered) -> delivered.contains("<1@x>"));
		assertThat(this.connects).hasSize(2);
	}

	@Test
	void whenTheResourceIsFoundUpAgainThenAnOpenBreakerProbesAtOnce() {
		this.failing.set(false);
		CircuitBreakerRegistry registry = CircuitBreakerRegistry
			.of(CircuitBreakerConfig.custom()
				.waitDurationInOpenState(Duration.ofHours(1))
				.permittedNumberOfCallsInHalfOpenState(1)
				.build());
		registry.addConfiguration("mail", registry.getDefaultConfig());
		ResourceCircuitBreaker breaker = new ResourceCircuitBreakers(registry, TimeLimiterRegistry.ofDefaults(), null,
				false)
			.forResource(OutboxStoreContractTests.resource("mail"));
		registry.circuitBreaker("mail").transitionToOpenState();
		this.properties.getRetry().setInitialInterval(Duration.ofHours(1));
		this.properties.getRetry().setMaxInterval(Duration.ofHours(1));
		Outbox outbox = start(breaker);
		outbox.enqueue("<1@x>", OutboxStoreContractTests.bytes("one"));
		EVENTUALLY.until(() -> outbox.getStats().queued(), (queued) -> queued == 1);
		assertThat(this.connects).isEmpty();
		outbox.recovered();
		EVENTUALLY.until(() -> this.delivered, (delivered) -> delivered.contains("<1@x>"));
		assertThat(registry.circuitBreaker("mail").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void whenTheHealthOfTheResourceChangesThenOnlyAReturnToUpTellsTheOutbox() {
		AtomicInteger recoveries = new AtomicInteger();
		RecoveryWake wake = new RecoveryWake(recoveries::incrementAndGet);
		wake.accept(Status.UP);
		assertThat(recoveries).as("the first check: the relay may have failed before it").hasValue(1);
		wake.accept(Status.UP);
		wake.accept(Status.DOWN);
		wake.accept(Status.DOWN);
		assertThat(recoveries).hasValue(1);
		wake.accept(Status.UP);
		wake.accept(Status.UP);
		assertThat(recoveries).hasValue(2);
		wake.accept(Status.OUT_OF_SERVICE);
		wake.accept(Status.UP);
		assertThat(recoveries).hasValue(3);
	}

	@Test
	void whenAnOutboxStartsAgainThenItsStartActionsRanOnceAndItDeliversAgain() {
		this.failing.set(false);
		FileOutboxStore store = new FileOutboxStore(this.directory);
		this.closeables.add(store);
		AtomicInteger started = new AtomicInteger();
		Outboxes outboxes = new Outboxes(() -> store, this.properties,
				List.of((builder) -> builder.whenStarted((outbox) -> started.incrementAndGet())));
		Outbox outbox = outboxes.create(OutboxStoreContractTests.resource("mail"), delivery());
		this.closeables.add(outbox::stop);
		outbox.start();
		outbox.stop();
		assertThat(outbox.isRunning()).isFalse();
		outbox.start();
		assertThat(outbox.isRunning()).isTrue();
		assertThat(started).hasValue(1);
		outbox.enqueue("<1@x>", OutboxStoreContractTests.bytes("one"));
		EVENTUALLY.until(() -> this.delivered, (delivered) -> delivered.contains("<1@x>"));
		assertThat(outbox.getPhase()).isEqualTo(Integer.MAX_VALUE - 1536);
		assertThatIllegalStateException()
			.isThrownBy(() -> outboxes.create(OutboxStoreContractTests.resource("mail"), delivery()))
			.withMessage("The resource mail has an outbox already");
	}

	private Outbox start(ResourceCircuitBreaker breaker) {
		FileOutboxStore store = new FileOutboxStore(this.directory);
		this.closeables.add(store);
		List<OutboxBuilderCustomizer> customizers = (breaker != null) ? List.of((builder) -> builder.breaker(breaker))
				: List.of();
		Outbox outbox = new Outboxes(() -> store, this.properties, customizers)
			.create(OutboxStoreContractTests.resource("mail"), delivery());
		outbox.start();
		this.closeables.add(outbox::stop);
		return outbox;
	}

	private OutboxDelivery delivery() {
		return () -> {
			this.connects.add(System.nanoTime());
			if (this.failing.get()) {
				throw new IOException("Connection refused");
			}
			return new OutboxDelivery.Connection() {

				@Override
				public void deliver(OutboxItem item) {
					OutboxRecoveryTests.this.delivered.add(item.id());
				}

				@Override
				public void close() {
				}

			};
		};
	}

	/**
	 * A store that notes when it is asked for due items.
	 */
	private record CountingStore(OutboxStore store, List<Long> claims) implements OutboxStore {

		@Override
		public void add(String channel, OutboxMessage message) {
			this.store.add(channel, message);
		}

		@Override
		public List<OutboxItem> claim(String channel, int max, Duration lease) {
			this.claims.add(System.nanoTime());
			return this.store.claim(channel, max, lease);
		}

		@Override
		public void delivered(String channel, OutboxItem item) {
			this.store.delivered(channel, item);
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

}
