package io.attach.jdbc;

import io.attach.core.AttachAutoConfiguration;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JdbcHealthAttachAutoConfiguration}.
 *
 * @author attach
 */
class JdbcHealthAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, JdbcAttachAutoConfiguration.class,
				DataSourceAutoConfiguration.class, HealthAttachAutoConfiguration.class,
				JdbcHealthAttachAutoConfiguration.class, HealthContributorAutoConfiguration.class,
				DataSourceHealthContributorAutoConfiguration.class))
		.withPropertyValues("DATABASE_URL=h2:mem:health-" + System.nanoTime());

	@Test
	void whenDatabaseIsAttachedThenItsCheckReplacesBootsDbCheck() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean("databaseHealthContributor").isInstanceOf(MonitoredHealthIndicator.class);
			assertThat(context.getBean("dbHealthContributor")).isSameAs(context.getBean("databaseHealthContributor"));
			assertThat(context).doesNotHaveBean(DataSourceHealthIndicator.class);
		});
	}

	@Test
	void whenBootsDbCheckIsTurnedOffThenAttachsDatabaseCheckIsOffToo() {
		this.contextRunner.withPropertyValues("management.health.db.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean("databaseHealthContributor").doesNotHaveBean("dbHealthContributor");
			assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class);
		});
	}

	@Test
	void whenHealthChecksAreOffByDefaultThenTheDatabaseCheckIsOffUnlessDbIsOn() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class));
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false", "management.health.db.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(MonitoredHealthIndicator.class));
	}

	@Test
	void whenUserDefinesADatabaseHealthContributorThenBootsDbCheckIsNotSilencedByIt() {
		this.contextRunner.withBean("databaseHealthContributor", String.class, () -> "user's").run((context) -> {
			assertThat(context).doesNotHaveBean(MonitoredHealthIndicator.class);
			assertThat(context).getBean("dbHealthContributor").isInstanceOf(DataSourceHealthIndicator.class);
		});
	}

}
