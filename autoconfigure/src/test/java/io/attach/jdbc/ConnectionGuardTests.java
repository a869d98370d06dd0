package io.attach.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceGuard;
import io.attach.resilience.ResourceGuards;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.DataSourceUnwrapper;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the guard around the attached database's {@code getConnection()}.
 *
 * @author attach
 */
class ConnectionGuardTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				JdbcAttachAutoConfiguration.class, DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class))
		.withPropertyValues("DATABASE_URL=h2:mem:attach-guard-" + System.nanoTime());

	@Test
	void whenDatabaseIsAttachedThenPoolIsGuardedAndKeepsItsType() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(AopUtils.isAopProxy(dataSource)).isTrue();
			assertThat(GuardedDataSources.guardOf(dataSource)).isPresent();
			HikariDataSource hikari = context.getBean(HikariDataSource.class);
			assertThat(hikari).isSameAs(dataSource);
			// What Boot's Hikari metrics and pool metadata do to find the pool.
			assertThat(DataSourceUnwrapper.unwrap(dataSource, HikariConfigMXBean.class, HikariDataSource.class))
				.isNotNull();
			assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
			assertThat(dataSource.unwrap(HikariDataSource.class).getPoolName()).isEqualTo(hikari.getPoolName());
			assertThat(query(dataSource, "SELECT 'guarded'")).isEqualTo("guarded");
		});
	}

	@Test
	void whenBreakerIsOpenThenGetConnectionFailsAtOnceWithATransientException() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			guard(context).markDown(Duration.ofMinutes(1));
			assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(dataSource::getConnection)
				.satisfies((ex) -> {
					assertThat((Object) ex).isInstanceOf(java.sql.SQLTransientConnectionException.class);
					assertThat(ex.getMessage()).startsWith("database (jdbc) is not called: its circuit breaker is OPEN")
						.contains("retry in ");
					assertThat(ex.getRetryAfter().toSeconds()).isBetween(1L, 60L);
					assertThat(ex.getResourceName()).isEqualTo("database");
				});
			// What a repository sees: Spring's resource failure, with the guard's exception as its cause.
			assertThatExceptionOfType(CannotGetJdbcConnectionException.class)
				.isThrownBy(() -> query(dataSource, "SELECT 'x'"))
				.withCauseInstanceOf(DatabaseUnavailableException.class);
		});
	}

	@Test
	void whenOpenBreakerIsMarkedUpThenNextCallProbesAndClosesIt() {
		this.contextRunner.run((context) -> {
			ResourceGuard guard = guard(context);
			guard.markDown(Duration.ofMinutes(1));
			guard.markUp();
			assertThat(guard.getState()).isEqualTo(State.HALF_OPEN);
			assertThat(query(context.getBean(DataSource.class), "SELECT 'back'")).isEqualTo("back");
			assertThat(guard.getState()).isEqualTo(State.CLOSED);
		});
	}

	@Test
	void whenHealthCheckSeesDatabaseUpThenOpenBreakerIsLetToProbe() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(HealthAttachAutoConfiguration.class,
					JdbcHealthAttachAutoConfiguration.class))
			.withPropertyValues("attach.health.interval=100ms")
			.run((context) -> {
				ResourceGuard guard = guard(context);
				guard.markDown(Duration.ofMinutes(1));
				// Without the check, the breaker would stay open for its whole wait (5 s).
				await().atMost(Duration.ofSeconds(2)).until(() -> guard.getState() == State.HALF_OPEN);
			});
	}

	@Test
	void whenQueriesFailThenTheyDoNotCountAgainstTheDatabase() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			for (int i = 0; i < 20; i++) {
				assertThatExceptionOfType(BadSqlGrammarException.class)
					.isThrownBy(() -> query(dataSource, "SELECT * FROM no_such_table"));
			}
			assertThat(guard(context).getState()).isEqualTo(State.CLOSED);
		});
	}

	@Test
	void whenTransactionHoldsAConnectionThenAnOpenBreakerDoesNotInterrupt() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			TransactionTemplate transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
			String result = transaction.execute((status) -> {
				query(dataSource, "SELECT 'first'");
				guard(context).markDown(Duration.ofMinutes(1));
				return query(dataSource, "SELECT 'second'");
			});
			assertThat(result).isEqualTo("second");
		});
	}

	@Test
	void whenMoreCallersWaitThanTheBoundThenTheNextFailsAtOnce() {
		this.contextRunner.withPropertyValues("attach.guard.resources.database.max-waiting-calls=1",
				// Long enough that the waiter is still waiting however late this thread looks at it.
				"spring.datasource.hikari.maximum-pool-size=1", "spring.datasource.hikari.connection-timeout=10000")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				Connection held = dataSource.getConnection();
				// The pool is empty: one caller waits for it, and the bound lets no second one wait beside it.
				Thread waiter = new Thread(() -> {
					try (Connection connection = dataSource.getConnection()) {
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				});
				try {
					waiter.start();
					await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
					assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(dataSource::getConnection)
						.withMessageContaining("1 calls are already waiting on it")
						.withMessageContaining("attach.guard.resources.database.max-waiting-calls");
				}
				finally {
					// Hands the connection to the waiter, which then ends at once.
					held.close();
					waiter.join();
				}
			});
	}

	@Test
	void whenGetConnectionWithCredentialsFailsThenItIsNotGuardedNorCounted() {
		this.contextRunner.run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			for (int i = 0; i < 10; i++) {
				// Hikari has no connections for other credentials, whatever the database's state.
				assertThatExceptionOfType(SQLFeatureNotSupportedException.class)
					.isThrownBy(() -> dataSource.getConnection("other", "secret"));
			}
			assertThat(guard(context).getState()).isEqualTo(State.CLOSED);
		});
	}

	@Test
	void whenWaitForAConnectionIsInterruptedThenItDoesNotCountAgainstTheDatabase() {
		this.contextRunner
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=1",
					"spring.datasource.hikari.connection-timeout=10000")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				try (Connection held = dataSource.getConnection()) {
					for (int i = 0; i < 10; i++) {
						// The pool is empty: the caller waits, as a request thread would, until it is interrupted.
						AtomicReference<Throwable> failure = new AtomicReference<>();
						Thread waiter = new Thread(() -> {
							try (Connection connection = dataSource.getConnection()) {
							}
							catch (Throwable ex) {
								failure.set(ex);
							}
						});
						waiter.start();
						await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
						waiter.interrupt();
						waiter.join();
						assertThat(failure.get()).isInstanceOf(SQLException.class)
							.hasCauseInstanceOf(InterruptedException.class);
					}
				}
				assertThat(guard(context).getState()).isEqualTo(State.CLOSED);
				assertThat(query(context.getBean(DataSource.class), "SELECT 'uncounted'")).isEqualTo("uncounted");
			});
	}

	@Test
	void whenStartupUsesTheDatabaseThenItIsNotGuardedUntilTheContextHasStarted() {
		this.contextRunner.withBean(StartupMigration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			// Refused by the open breaker before startup, Flyway would have used up its connect retries at once.
			assertThat(context.getBean(StartupMigration.class).connections).isEqualTo(10);
			assertThat(guard(context).isOpen()).isTrue();
			assertThatExceptionOfType(DatabaseUnavailableException.class)
				.isThrownBy(context.getBean(DataSource.class)::getConnection);
		});
	}

	@Test
	void whenUserDefinesItsOwnDataSourceThenItIsNotGuarded() {
		this.contextRunner.withUserConfiguration(UserDataSourceConfiguration.class).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(context).hasSingleBean(DatabaseUrlJdbcConnectionDetails.class);
			assertThat(AopUtils.isAopProxy(dataSource)).isFalse();
			assertThat(context.getBean(ResourceGuards.class).find("database")).isEmpty();
		});
	}

	@Test
	void whenConnectionDetailsAreTheUsersThenPoolIsNotGuarded() {
		this.contextRunner.withBean(JdbcConnectionDetails.class, UserConnectionDetails::new).run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(context).doesNotHaveBean(DatabaseUrlJdbcConnectionDetails.class);
			assertThat(AopUtils.isAopProxy(dataSource)).isFalse();
			assertThat(query(dataSource, "SELECT 'elsewhere'")).isEqualTo("elsewhere");
			assertThat(context.getBean(ResourceGuards.class).find("database")).isEmpty();
		});
	}

	@Test
	void whenMaxWaitingCallsIsZeroThenStartupFailsNamingTheSetting() {
		this.contextRunner.withPropertyValues("attach.guard.resources.database.max-waiting-calls=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("attach.guard.resources.database.max-waiting-calls")
				.hasMessageContaining("bulkhead=false"));
	}

	@Test
	void whenBulkheadIsOffThenBreakerStillGuards() {
		this.contextRunner.withPropertyValues("attach.guard.resources.database.bulkhead=false").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(query(dataSource, "SELECT 'unbounded'")).isEqualTo("unbounded");
			guard(context).markDown(Duration.ofMinutes(1));
			assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(dataSource::getConnection)
				.withMessageContaining("circuit breaker");
		});
	}

	@Test
	void whenPoolIsGuardedThenHikariMetricsStillBindToIt() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class))
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				assertThat(AopUtils.isAopProxy(dataSource)).isTrue();
				assertThat(query(dataSource, "SELECT 'measured'")).isEqualTo("measured");
				assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections").gauge()).isNotNull();
			});
	}

	@Test
	void whenGuardIsDisabledThenPoolIsNotProxied() {
		this.contextRunner.withPropertyValues("attach.guard.resources.database.enabled=false").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(AopUtils.isAopProxy(dataSource)).isFalse();
			assertThat(context.getBean(ResourceGuards.class).find("database")).isEmpty();
		});
	}

	@Test
	void whenNoDatabaseIsAttachedThenPoolIsNotProxied() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class,
					ResilienceAttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
					DataSourceAutoConfiguration.class))
			.run((context) -> assertThat(AopUtils.isAopProxy(context.getBean(DataSource.class))).isFalse());
	}

	private static ResourceGuard guard(AssertableApplicationContext context) {
		return GuardedDataSources.guardOf(context.getBean(DataSource.class)).orElseThrow();
	}

	private static String query(DataSource dataSource, String sql) {
		return new JdbcTemplate(dataSource).queryForObject(sql, String.class);
	}

	/**
	 * Uses the database while the context starts, as Flyway does, with the database's breaker open.
	 */
	static final class StartupMigration implements InitializingBean {

		private final DataSource dataSource;

		private final ResourceGuards guards;

		private int connections;

		StartupMigration(DataSource dataSource, ResourceGuards guards) {
			this.dataSource = dataSource;
			this.guards = guards;
		}

		@Override
		public void afterPropertiesSet() throws SQLException {
			this.guards.find("database").orElseThrow().markDown(Duration.ofMinutes(1));
			for (int i = 0; i < 10; i++) {
				try (Connection connection = this.dataSource.getConnection()) {
					this.connections++;
				}
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:h2:mem:attach-guard-users-own-" + System.nanoTime());
			return dataSource;
		}

	}

	static final class UserConnectionDetails implements JdbcConnectionDetails {

		private final String url = "jdbc:h2:mem:attach-guard-users-details-" + System.nanoTime();

		@Override
		public String getUsername() {
			return "sa";
		}

		@Override
		public String getPassword() {
			return "";
		}

		@Override
		public String getJdbcUrl() {
			return this.url;
		}

	}

}
