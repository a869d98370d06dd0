package io.attach.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the connection the attached database's health check uses.
 *
 * @author attach
 */
class DatabaseCheckConnectionTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
				HealthAttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
				JdbcHealthAttachAutoConfiguration.class, DataSourceAutoConfiguration.class))
		.withPropertyValues("DATABASE_URL=h2:mem:attach-check-" + System.nanoTime());

	@Test
	void whenThePoolIsGuardedThenTheCheckHasAPoolOfItsOwnWithTheSameSettings() {
		// A setting only spring.datasource.hikari.* carries, as TLS driver properties or credentials providers do.
		this.contextRunner.withPropertyValues("spring.datasource.hikari.connection-init-sql=SELECT 'init'",
				"spring.datasource.hikari.data-source-properties.TRACE_LEVEL_FILE=0")
			.run((context) -> {
				DataSource checked = context.getBean(DatabaseCheckConnection.class).dataSource();
				HikariDataSource app = context.getBean(HikariDataSource.class).unwrap(HikariDataSource.class);
				assertThat(checked).isInstanceOf(HikariDataSource.class).isNotSameAs(app);
				HikariDataSource own = (HikariDataSource) checked;
				assertThat(own.getPoolName()).isEqualTo("attach-database-check");
				assertThat(own.getMaximumPoolSize()).isEqualTo(2);
				assertThat(own.getJdbcUrl()).isEqualTo(app.getJdbcUrl());
				assertThat(own.getConnectionInitSql()).isEqualTo("SELECT 'init'");
				assertThat(own.getDataSourceProperties()).containsEntry("TRACE_LEVEL_FILE", "0");
				assertThat(own.getMetricsTrackerFactory()).isNull();
			});
	}

	@Test
	void whenTheDataSourceIsTheUsersOwnThenTheCheckUsesItAndOpensNoPool() {
		this.contextRunner.withUserConfiguration(UserDataSourceConfiguration.class).run((context) -> {
			DataSource users = context.getBean(DataSource.class);
			assertThat(context.getBean(DatabaseCheckConnection.class).dataSource()).isSameAs(users);
		});
	}

	@Test
	void whenTheContextClosesThenTheChecksPoolIsClosed() {
		HikariDataSource[] own = new HikariDataSource[1];
		this.contextRunner.run((context) -> own[0] = (HikariDataSource) context.getBean(DatabaseCheckConnection.class)
			.dataSource());
		assertThat(own[0].isClosed()).isTrue();
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:h2:mem:attach-check-users-own-" + System.nanoTime());
			return dataSource;
		}

	}

	@Test
	void whenTheApplicationsPoolWaitsLongerThanTheCheckThenTheChecksPoolWaitsOnlyTheCheckTimeout() {
		this.contextRunner
			.withPropertyValues("attach.health.timeout=300ms", "spring.datasource.hikari.connection-timeout=30000",
					"spring.datasource.hikari.validation-timeout=20000", "spring.datasource.hikari.minimum-idle=1",
					"spring.datasource.hikari.initialization-fail-timeout=1",
					"spring.datasource.hikari.register-mbeans=true")
			.run((context) -> {
				HikariDataSource own = (HikariDataSource) context.getBean(DatabaseCheckConnection.class).dataSource();
				assertThat(own.getConnectionTimeout()).isEqualTo(300);
				assertThat(own.getValidationTimeout()).isEqualTo(300);
				// Two connections kept open, so that a check costs no login.
				assertThat(own.getMinimumIdle()).isEqualTo(2);
				// Started while the database may be down, without failing startup.
				assertThat(own.getInitializationFailTimeout()).isEqualTo(-1);
				assertThat(own.isRegisterMbeans()).isFalse();
			});
	}

	@Test
	void whenTheCheckTimeoutIsShorterThanHikariTakesThenTheChecksPoolWaitsTheShortestHikariTakes() {
		this.contextRunner.withPropertyValues("attach.health.timeout=100ms").run((context) -> {
			HikariDataSource own = (HikariDataSource) context.getBean(DatabaseCheckConnection.class).dataSource();
			assertThat(own.getConnectionTimeout()).isEqualTo(250);
			assertThat(own.getValidationTimeout()).isEqualTo(250);
		});
	}

	@Test
	void whenTheApplicationsPoolHasAMetricsTrackerThenTheChecksPoolStartsWithoutOne() {
		this.contextRunner.withBean(PoolMetrics.class, () -> new PoolMetrics(false)).run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource app = context.getBean(HikariDataSource.class).unwrap(HikariDataSource.class);
			assertThat(app.getMetricsTrackerFactory()).isNotNull();
			HikariDataSource own = (HikariDataSource) context.getBean(DatabaseCheckConnection.class).dataSource();
			assertThat(own.getMetricsTrackerFactory()).isNull();
			assertThat(own.getMetricRegistry()).isNull();
		});
	}

	@Test
	void whenTheApplicationsPoolHasAMetricRegistryThenTheChecksPoolStartsWithoutOne() {
		this.contextRunner.withBean(PoolMetrics.class, () -> new PoolMetrics(true)).run((context) -> {
			assertThat(context).hasNotFailed();
			HikariDataSource app = context.getBean(HikariDataSource.class).unwrap(HikariDataSource.class);
			assertThat(app.getMetricRegistry()).isNotNull();
			HikariDataSource own = (HikariDataSource) context.getBean(DatabaseCheckConnection.class).dataSource();
			assertThat(own.getMetricRegistry()).isNull();
			assertThat(own.getMetricsTrackerFactory()).isNull();
		});
	}

	@Test
	void whenBootBindsThePoolsMetricsThenTheChecksPoolStartsWithoutThem() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, DataSourcePoolMetricsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				HikariDataSource own = (HikariDataSource) context.getBean(DatabaseCheckConnection.class).dataSource();
				assertThat(own.getMetricsTrackerFactory()).isNull();
				assertThat(context.getBean(MeterRegistry.class).find("hikaricp.connections").tag("pool",
						"attach-database-check").gauge()).isNull();
			});
	}

	/**
	 * Gives the application's pool metrics of its own before attach sees it, as a user's customization may.
	 */
	static final class PoolMetrics implements BeanPostProcessor {

		private final boolean registry;

		PoolMetrics(boolean registry) {
			this.registry = registry;
		}

		@Override
		public Object postProcessBeforeInitialization(Object bean, String beanName) {
			if (bean instanceof HikariDataSource hikari && beanName.equals("dataSource")) {
				if (this.registry) {
					hikari.setMetricRegistry(new SimpleMeterRegistry());
				}
				else {
					hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(new SimpleMeterRegistry()));
				}
			}
			return bean;
		}

	}

}
