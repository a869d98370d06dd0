package io.attach.jdbc;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceGuard;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the guard of the attached database, with the machine's PostgreSQL behind a fault proxy.
 *
 * @author attach
 */
class ConnectionGuardIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				HealthAttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
				JdbcHealthAttachAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withPropertyValues("attach.health.interval=200ms", "attach.jdbc.socket-timeout=2s");

	@Test
	@Timeout(60)
	void whenDatabaseIsBlackholedThenHealthCheckOpensBreakerAndConnectionsFailWithoutWaiting() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			// Open far longer than the test waits, so that only the check's markUp, not Resilience4j's own timer,
			// can let the breaker probe again.
			CircuitBreakerConfig openForAMinute = CircuitBreakerConfig.custom()
				.waitDurationInOpenState(Duration.ofSeconds(60))
				.permittedNumberOfCallsInHalfOpenState(1)
				.build();
			this.contextRunner.withPropertyValues(databaseUrl(proxy))
				.withBean(CircuitBreakerRegistry.class,
						() -> CircuitBreakerRegistry.of(Map.of("database", openForAMinute)))
				.run((context) -> {
					DataSource dataSource = context.getBean(DataSource.class);
					ResourceGuard guard = GuardedDataSources.guardOf(dataSource).orElseThrow();
					assertThat(context.getBean(CircuitBreakerRegistry.class)
						.circuitBreaker("database")
						.getCircuitBreakerConfig()
						.getWaitIntervalFunctionInOpenState()
						.apply(1)).isEqualTo(60_000L);
					assertThat(query(dataSource)).isEqualTo("up");
					proxy.blackhole();
					// No request has failed: only the background check can have opened it, and holds it open.
					await().atMost(Duration.ofSeconds(10)).until(() -> guard.getState() == State.FORCED_OPEN);
					assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(() -> query(dataSource))
						.withCauseInstanceOf(DatabaseUnavailableException.class);
					proxy.pass();
					// The check sees it UP, the breaker lets the next connection probe, and that one closes it.
					await().atMost(Duration.ofSeconds(10))
						.ignoreExceptions()
						.until(() -> "up".equals(query(dataSource)));
					assertThat(guard.getState()).isEqualTo(State.CLOSED);
				});
		}
	}

	@Test
	@Timeout(60)
	void whenConnectionsAreRefusedThenFailuresOnTheRequestPathOpenBreaker() {
		try (FaultProxy proxy = LocalServers.POSTGRES.proxy()) {
			// No background check: the failed connections alone open the breaker.
			this.contextRunner.withPropertyValues(databaseUrl(proxy), "attach.health.interval=1h",
					"spring.datasource.hikari.connection-timeout=500", "spring.datasource.hikari.minimum-idle=0",
					"spring.datasource.hikari.idle-timeout=10000")
				.run((context) -> {
					DataSource dataSource = context.getBean(DataSource.class);
					ResourceGuard guard = GuardedDataSources.guardOf(dataSource).orElseThrow();
					assertThat(query(dataSource)).isEqualTo("up");
					proxy.refuse();
					context.getBean(com.zaxxer.hikari.HikariDataSource.class).getHikariPoolMXBean().softEvictConnections();
					int failures = 0;
					while (guard.getState() == State.CLOSED && failures < 20) {
						assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
							.isThrownBy(() -> query(dataSource))
							.withCauseExactlyInstanceOf(java.sql.SQLTransientConnectionException.class);
						failures++;
					}
					assertThat(guard.getState()).isEqualTo(State.OPEN);
					assertThat(failures).isEqualTo(5);
					assertThatExceptionOfType(CannotGetJdbcConnectionException.class).isThrownBy(() -> query(dataSource))
						.withCauseInstanceOf(DatabaseUnavailableException.class);
				});
		}
	}

	private static String databaseUrl(FaultProxy proxy) {
		return "DATABASE_URL=postgres://postgres:canary-pw@127.0.0.1:" + proxy.getPort() + "/test";
	}

	private static String query(DataSource dataSource) {
		return new JdbcTemplate(dataSource).queryForObject("SELECT 'up'", String.class);
	}

}
