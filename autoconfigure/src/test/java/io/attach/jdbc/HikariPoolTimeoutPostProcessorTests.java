package io.attach.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HikariPoolTimeoutPostProcessor}.
 *
 * @author attach
 */
class HikariPoolTimeoutPostProcessorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
				DataSourceAutoConfiguration.class))
		.withPropertyValues("DATABASE_URL=h2:mem:pool");

	@Test
	void whenDatabaseIsAttachedThenPoolWaitsFiveSecondsForAConnection() {
		this.contextRunner.run((context) -> assertThat(context.getBean(HikariDataSource.class).getConnectionTimeout())
			.isEqualTo(5000));
	}

	@Test
	void whenUserSetsConnectionTimeoutThenItWins() {
		this.contextRunner.withPropertyValues("spring.datasource.hikari.connection-timeout=2000")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getConnectionTimeout())
				.isEqualTo(2000));
	}

	@Test
	void whenUserSetsConnectionTimeoutInRelaxedFormThenItWins() {
		this.contextRunner.withPropertyValues("spring.datasource.hikari.connectionTimeout=31000")
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getConnectionTimeout())
				.isEqualTo(31000));
	}

	@Test
	void whenUserSetsAZeroConnectionTimeoutThenStartupFailsNamingIt() {
		// Hikari reads 0 as no timeout: a caller would wait for a free connection forever.
		this.contextRunner.withPropertyValues("spring.datasource.hikari.connection-timeout=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.datasource.hikari.connection-timeout is 0")
				.hasMessageContaining("waiting forever"));
	}

	@Test
	void whenUserSetsANegativeConnectionTimeoutInRelaxedFormThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("spring.datasource.hikari.connectionTimeout=-1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.datasource.hikari.connection-timeout is -1"));
	}

	@Test
	void whenUserDefinesTheirOwnPoolThenItKeepsItsOwnTimeout() {
		this.contextRunner.withBean("reportsDataSource", HikariDataSource.class, HikariDataSource::new)
			.run((context) -> assertThat(context.getBean("reportsDataSource", HikariDataSource.class)
				.getConnectionTimeout()).isEqualTo(30000));
	}

	@Test
	void whenNothingIsAttachedThenHikariKeepsItsDefault() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
					DataSourceAutoConfiguration.class))
			.run((context) -> assertThat(context.getBean(HikariDataSource.class).getConnectionTimeout())
				.isEqualTo(30000));
	}

}
