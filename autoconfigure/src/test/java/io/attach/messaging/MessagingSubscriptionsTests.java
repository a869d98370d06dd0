package io.attach.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.attach.outbox.Backoff;
import io.attach.outbox.OutboxDelivery;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MessagingSubscriptions}.
 *
 * @author attach
 */
class MessagingSubscriptionsTests {

	@Test
	void stopStopsEveryConsumerAtOnceAndThenCallsBack() throws Exception {
		int count = 3;
		// Each close waits for the others: only closes that run at the same time all get through.
		CyclicBarrier together = new CyclicBarrier(count);
		AtomicInteger closed = new AtomicInteger();
		AtomicBoolean apart = new AtomicBoolean();
		MessagingSubscriptions subscriptions = new MessagingSubscriptions(new Broker(() -> {
			try {
				together.await(10, TimeUnit.SECONDS);
				closed.incrementAndGet();
			}
			catch (TimeoutException | BrokenBarrierException ex) {
				apart.set(true);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				apart.set(true);
			}
		}, true), MessagingSubscriptionsTests::settings, () -> {
		});
		for (int i = 0; i < count; i++) {
			subscriptions.subscribe("orders", "group-" + i, String.class, (message) -> {
			});
		}
		subscriptions.start();
		CountDownLatch done = new CountDownLatch(1);
		subscriptions.stop(done::countDown);
		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(apart).isFalse();
		assertThat(closed).hasValue(count);
		assertThat(subscriptions.isRunning()).isFalse();
	}

	@Test
	void aConsumerThatStoppedForGoodIsNotReportedAsConsuming() {
		MessagingSubscriptions subscriptions = new MessagingSubscriptions(new Broker(() -> {
		}, false), MessagingSubscriptionsTests::settings, () -> {
		});
		subscriptions.start();
		subscriptions.subscribe("orders", "billing", String.class, (message) -> {
		});
		assertThat(subscriptions.describe()).extracting(MessagingSubscriptions.Description::consuming)
			.containsExactly(false);
		subscriptions.stop();
	}

	private static HandlerDispatch.Settings settings() {
		return new HandlerDispatch.Settings(new JsonMapper(), null,
				new Backoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(1)), 5, MessagingListener.NONE);
	}

	/**
	 * A broker whose consumers run the given close and report the given state.
	 */
	private record Broker(Runnable close, boolean consuming) implements MessageBroker {

		@Override
		public OutboxDelivery delivery() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Consumer consume(String topic, String group, Dispatch dispatch) {
			return new Consumer() {

				@Override
				public boolean isConsuming() {
					return Broker.this.consuming;
				}

				@Override
				public void close() {
					Broker.this.close.run();
				}

			};
		}

		@Override
		public List<ParkedMessage> parked(int limit) {
			return List.of();
		}

		@Override
		public boolean requeue(String group, String id) {
			return false;
		}

		@Override
		public boolean discard(String group, String id) {
			return false;
		}

	}

}
