package io.attach.jdbc;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceGuard;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the attached database's health check and what it tells the guard, on the machine's
 * PostgreSQL behind a fault proxy.
 *
 * @author attach
 */
class DatabaseCheckIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				HealthAttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
				JdbcHealthAttachAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withPropertyValues("attach.health.interval=100ms", "attach.jdbc.socket-timeout=2s");

	@Test
	@Timeout(60)
	void whenThePoolIsBusyButTheDatabaseAnswersThenTheCheckStaysUpAndTheBreakerClosed() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			this.contextRunner
				.withPropertyValues(databaseUrl(proxy), "spring.datasource.hikari.maximum-pool-size=1")
				.run((context) -> {
					DataSource dataSource = context.getBean(DataSource.class);
					ResourceGuard guard = GuardedDataSources.guardOf(dataSource).orElseThrow();
					MonitoredHealthIndicator check = context.getBean("databaseHealthContributor",
							MonitoredHealthIndicator.class);
					await().atMost(Duration.ofSeconds(10)).until(() -> Status.UP.equals(check.health().getStatus()));
					// A slow request holds the pool's only connection for longer than several checks take.
					try (Connection held = dataSource.getConnection()) {
						Thread.sleep(2000);
						assertThat(check.health().getStatus()).isEqualTo(Status.UP);
						assertThat(guard.getState()).isEqualTo(State.CLOSED);
					}
				});
		}
	}

	@Test
	@Timeout(60)
	void whenTheDatabaseIsBlackholedThenTheCheckHoldsTheBreakerOpenUntilItAnswers() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			this.contextRunner
				// A check caught mid-query by the black hole ends only at the socket timeout (30 s by default), and the
				// next check waits for it: a short one lets the recovery below be awaited whenever the hole opened.
				.withPropertyValues(databaseUrl(proxy), "attach.jdbc.socket-timeout=3s",
						"resilience4j.circuitbreaker.instances.database.wait-duration-in-open-state=200ms")
				.run((context) -> {
					DataSource dataSource = context.getBean(DataSource.class);
					ResourceGuard guard = GuardedDataSources.guardOf(dataSource).orElseThrow();
					try (Connection connection = dataSource.getConnection()) {
						assertThat(connection.isValid(1)).isTrue();
					}
					proxy.blackhole();
					await().atMost(Duration.ofSeconds(10)).until(() -> guard.getState() == State.FORCED_OPEN);
					// Well past the open wait: still held open, so no request became a probe.
					Thread.sleep(1000);
					assertThat(guard.getState()).isEqualTo(State.FORCED_OPEN);
					proxy.pass();
					await().atMost(Duration.ofSeconds(15)).until(() -> guard.getState() == State.HALF_OPEN);
				});
		}
	}

	private static String databaseUrl(FaultProxy proxy) {
		return "DATABASE_URL=postgres://postgres@127.0.0.1:" + proxy.getPort() + "/test";
	}

}
