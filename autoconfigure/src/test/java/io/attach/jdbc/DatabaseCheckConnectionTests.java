package io.attach.jdbc;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
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

}
