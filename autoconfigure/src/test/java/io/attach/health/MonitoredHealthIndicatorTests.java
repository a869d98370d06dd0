package io.attach.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import io.attach.core.AttachedResource;
import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKinds;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link MonitoredHealthIndicator}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class MonitoredHealthIndicatorTests {

	private final ResourceHealthMonitor monitor = new ResourceHealthMonitor(Duration.ofMillis(200),
			Duration.ofMillis(50), List.of());

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger calls = new AtomicInteger();

	@AfterEach
	void stop() {
		this.release.countDown();
		this.monitor.stop();
		this.monitor.destroy();
	}

	@Test
	@Timeout(10) // The hung check is released only after the test: waiting for it would never end.
	void whenCheckHangsThenHealthIsDownWithoutWaitingForIt() {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), hanging());
		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("error", "No answer within 200ms");
	}

	@Test
	@Timeout(10) // The hung check is released only after the test: waiting for it would never end.
	void whenTimeoutIsUnderAMillisecondThenACheckGetsOneMillisecondRatherThanNone() {
		ResourceHealthMonitor fast = new ResourceHealthMonitor(Duration.ofNanos(500_000), Duration.ofSeconds(1),
				List.of());
		try {
			Health health = fast.monitor(resource(ReadinessRole.REQUIRED), hanging()).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("error", "No answer within 1ms");
		}
		finally {
			fast.destroy();
		}
	}

	@Test
	void whenIntervalIsUnderAMillisecondThenTheMonitorStartsAndChecksRepeatedly() {
		ResourceHealthMonitor fast = new ResourceHealthMonitor(Duration.ofMillis(200), Duration.ofNanos(500_000),
				List.of());
		try {
			fast.monitor(resource(ReadinessRole.REQUIRED), () -> {
				this.calls.incrementAndGet();
				return Health.up().build();
			});
			fast.start();
			await().until(() -> this.calls.get() >= 3);
		}
		finally {
			fast.stop();
			fast.destroy();
		}
	}

	@Test
	void whenCheckHangsThenNoSecondCheckStartsBesideIt() {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), hanging());
		this.monitor.start();
		await().until(() -> indicator.getLatest() != null);
		indicator.health();
		indicator.refresh();
		assertThat(this.calls).hasValue(1);
	}

	@Test
	void whenCheckAnswersThenLatestResultIsServedFromMemory() {
		HealthIndicator check = () -> {
			this.calls.incrementAndGet();
			return Health.up().build();
		};
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), check);
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
		int callsAfterFirst = this.calls.get();
		for (int i = 0; i < 100; i++) {
			indicator.health();
		}
		assertThat(this.calls).hasValue(callsAfterFirst);
		assertThat(indicator.getLatest().latency()).isLessThan(Duration.ofMillis(200));
	}

	@Test
	void whenCheckThrowsThenHealthIsDown() {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), () -> {
			throw new IllegalStateException("boom");
		});
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void whenServiceRecoversThenBackgroundCheckReportsUpAgain() {
		AtomicInteger state = new AtomicInteger();
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED),
				() -> (state.get() == 0) ? Health.down().build() : Health.up().build());
		this.monitor.start();
		await().until(() -> indicator.health().getStatus().equals(Status.DOWN));
		state.set(1);
		await().until(() -> indicator.health().getStatus().equals(Status.UP));
	}

	@Test
	void whenRoleIsIgnoredThenResourceIsNeverChecked() {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.IGNORED), hanging());
		this.monitor.start();
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
		// Several check intervals go by without a single call.
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> this.calls.get() == 0);
	}

	@Test
	void whenACheckHasEndedThenItsTimeoutLeavesTheResultAlone() throws Exception {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		try {
			// The check runs on the calling thread, so it has ended before its timeout is even scheduled.
			MonitoredHealthIndicator indicator = new MonitoredHealthIndicator(resource(ReadinessRole.REQUIRED),
					() -> Health.up().build(), Runnable::run, scheduler, Duration.ofMillis(1), List.of());
			indicator.refresh();
			scheduler.schedule(() -> null, 50, java.util.concurrent.TimeUnit.MILLISECONDS).get();
			assertThat(indicator.getLatest().health().getStatus()).isEqualTo(Status.UP);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

	@Test
	void whenACheckThrowsAnErrorThenItIsDownAndLaterChecksStillRun() {
		AtomicInteger runs = new AtomicInteger();
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), () -> {
			if (runs.incrementAndGet() == 1) {
				throw new NoClassDefFoundError("com/example/Missing");
			}
			return Health.up().build();
		});
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		this.monitor.start();
		await().until(() -> indicator.health().getStatus().equals(Status.UP));
	}

	@Test
	void whenTheMonitorIsDestroyedThenHealthStillAnswers() {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED),
				() -> Health.up().build());
		this.monitor.destroy();
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);
	}

	@Test
	void whenTheMonitorIsStoppedAndStartedAgainThenChecksRunAgain() {
		AtomicInteger runs = new AtomicInteger();
		this.monitor.monitor(resource(ReadinessRole.REQUIRED), () -> {
			runs.incrementAndGet();
			return Health.up().build();
		});
		this.monitor.start();
		await().until(() -> runs.get() >= 1);
		this.monitor.stop();
		int stoppedAt = runs.get();
		this.monitor.start();
		await().until(() -> runs.get() > stoppedAt);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private HealthIndicator hanging() {
		return () -> {
			this.calls.incrementAndGet();
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return Health.up().build();
		};
	}

	@Test
	void whenAListenerIsAddedForAResourceThenItHearsItsChecksWhetherMonitoredBeforeOrAfter() {
		List<Status> early = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<Status> late = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<Status> other = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.monitor.addStatusListener("database", early::add);
		this.monitor.addStatusListener("cache", other::add);
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED),
				() -> Health.up().build());
		this.monitor.addStatusListener("database", late::add);
		indicator.refresh();
		await().atMost(Duration.ofSeconds(10)).until(() -> !late.isEmpty());
		assertThat(early).contains(Status.UP);
		assertThat(late).containsOnly(Status.UP);
		assertThat(other).isEmpty();
	}

	@Test
	@Timeout(10) // The hung check is released only after the test: waiting for it would never end.
	void whenTheFirstCheckDoesNotAnswerInTimeThenNoWarningIsLoggedForTheColdStart(CapturedOutput output) {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), hanging());
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(output).contains("database (jdbc) has not answered its first check within 200ms; waiting for its answer")
			.doesNotContain("is DOWN");
	}

	@Test
	@Timeout(10) // The hung check is released only after the test: waiting for it would never end.
	void whenTheFirstCheckIsStillHungAtTheNextIntervalThenItIsWarned(CapturedOutput output) {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), hanging());
		indicator.health();
		assertThat(output).doesNotContain("is DOWN");
		indicator.refresh();
		assertThat(output).contains("database (jdbc) is DOWN: No answer within 200ms");
	}

	@Test
	void whenTheFirstCheckTimedOutAndThenFailsThenTheFailureIsWarnedOnce(CapturedOutput output) {
		MonitoredHealthIndicator indicator = this.monitor.monitor(resource(ReadinessRole.REQUIRED), () -> {
			sleep(400);
			return DownHealth.of(new SSLException("Unsupported or unrecognized SSL message")).build();
		});
		assertThat(indicator.health().getDetails()).containsEntry("error", "No answer within 200ms");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getAll()
				.contains("database (jdbc) is DOWN: the server answered in plain text on a TLS connection "
						+ "(javax.net.ssl.SSLException: Unsupported or unrecognized SSL message)"));
		assertThat(indicator.getLatest().health().getDetails()).containsEntry("cause",
				"the server answered in plain text on a TLS connection");
		assertThat(output.getAll().split("is DOWN", -1)).hasSize(2);
	}

	private static AttachedResource resource(ReadinessRole role) {
		return new AttachedResource("database", ResourceKinds.named("database").orElseThrow(), "DATABASE_URL",
				ResourceUrl.of("DATABASE_URL", "postgres://db/myapp"), role);
	}

}
