package io.attach.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.attach.core.AttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.resilience.ResourceGuards;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for when the guard of the attached database's pool acts, and how many callers it lets wait.
 *
 * @author attach
 */
class ConnectionGuardLifecycleTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				JdbcAttachAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withPropertyValues("DATABASE_URL=h2:mem:attach-guard-lifecycle-" + System.nanoTime());

	@Test
	void whenTheGuardIsStartedThenItSaysItIsRunning() {
		ConnectionGuardPostProcessor processor = new ConnectionGuardPostProcessor();
		assertThat(processor.isRunning()).isFalse();
		processor.start();
		assertThat(processor.isRunning()).isTrue();
		// Never reset: on shutdown the guard keeps protecting the draining requests.
		processor.stop();
		assertThat(processor.isRunning()).isTrue();
	}

	@Test
	void whenStartupQueriesTheDatabaseThenItGetsAWorkingConnection() {
		this.contextRunner.withBean(StartupQuery.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(StartupQuery.class).result).isEqualTo("early");
		});
	}

	@Test
	void whenAnotherLifecycleStartsThenTheGuardIsAlreadyActive() {
		this.contextRunner.withBean(EarlyLifecycle.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(EarlyLifecycle.class).failure)
				.isInstanceOf(DatabaseUnavailableException.class);
		});
	}

	@Test
	void whenNoBoundIsConfiguredThenAsManyCallersMayWaitAsThePoolHasConnections() {
		this.contextRunner
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=2",
					// Long enough that the waiters are still waiting however late this thread looks at them.
					"spring.datasource.hikari.connection-timeout=10000")
			.run((context) -> {
				DataSource dataSource = context.getBean(DataSource.class);
				List<Connection> held = new ArrayList<>();
				held.add(dataSource.getConnection());
				held.add(dataSource.getConnection());
				List<Thread> waiters = new ArrayList<>();
				try {
					for (int i = 0; i < 2; i++) {
						Thread waiter = new Thread(() -> {
							try (Connection connection = dataSource.getConnection()) {
							}
							catch (SQLException ex) {
								throw new IllegalStateException(ex);
							}
						});
						waiters.add(waiter);
						waiter.start();
						await().until(() -> waiter.getState() == Thread.State.TIMED_WAITING);
					}
					assertThatExceptionOfType(DatabaseUnavailableException.class).isThrownBy(dataSource::getConnection)
						.withMessageContaining("2 calls are already waiting on it");
				}
				finally {
					for (Connection connection : held) {
						connection.close();
					}
					for (Thread waiter : waiters) {
						waiter.join();
					}
				}
			});
	}

	/**
	 * Queries the database while the context starts, before the guard acts.
	 */
	static final class StartupQuery implements InitializingBean {

		private final DataSource dataSource;

		private String result;

		StartupQuery(DataSource dataSource) {
			this.dataSource = dataSource;
		}

		@Override
		public void afterPropertiesSet() {
			this.result = new JdbcTemplate(this.dataSource).queryForObject("SELECT 'early'", String.class);
		}

	}

	/**
	 * Starts right after the guard, with the database's breaker open, as a message listener taking work would.
	 */
	static final class EarlyLifecycle implements SmartLifecycle {

		private final DataSource dataSource;

		private final ResourceGuards guards;

		private volatile boolean running;

		private Exception failure;

		EarlyLifecycle(DataSource dataSource, ResourceGuards guards) {
			this.dataSource = dataSource;
			this.guards = guards;
		}

		@Override
		public void start() {
			this.guards.find("database").orElseThrow().markDown(Duration.ofMinutes(1));
			try (Connection connection = this.dataSource.getConnection()) {
				this.failure = null;
			}
			catch (SQLException ex) {
				this.failure = ex;
			}
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return Integer.MIN_VALUE + 1;
		}

	}

}
