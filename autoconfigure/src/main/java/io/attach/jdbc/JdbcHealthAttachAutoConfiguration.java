package io.attach.jdbc;

import java.time.Duration;

import javax.sql.DataSource;

import io.attach.core.AttachProperties;
import io.attach.core.AttachedResources;
import io.attach.core.ConditionalOnAttachedResource;
import io.attach.health.HealthAttachAutoConfiguration;
import io.attach.health.MonitoredHealthIndicator;
import io.attach.health.ResourceHealthCheck;
import io.attach.health.ResourceHealthMonitor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the attached
 * database's time-bounded health check, which replaces Boot's unbounded {@code db} check and follows its
 * {@code management.health.db.enabled}.
 *
 * @author attach
 */
@AutoConfiguration(after = { DataSourceAutoConfiguration.class, HealthAttachAutoConfiguration.class },
		before = DataSourceHealthContributorAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnAttachedResource("database")
@ResourceHealthCheck("database")
@ConditionalOnBean({ DataSource.class, ResourceHealthMonitor.class })
public final class JdbcHealthAttachAutoConfiguration {

	@Bean(destroyMethod = "close")
	@ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
	@ConditionalOnMissingBean
	DatabaseCheckConnection databaseCheckConnection(DataSource dataSource, AttachProperties properties) {
		return new DatabaseCheckConnection(dataSource, properties.getHealth().getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(name = "databaseHealthContributor")
	MonitoredHealthIndicator databaseHealthContributor(ResourceHealthMonitor monitor, AttachedResources resources,
			DataSource dataSource, ObjectProvider<DatabaseCheckConnection> checkConnection,
			AttachProperties properties) {
		// The check bypasses the guard, through a pool of its own where the guard applies: it sees the database, not
		// how busy the pool is, sees it come back while the breaker is open, and moves the breaker.
		DatabaseCheckConnection own = checkConnection.getIfAvailable();
		DataSource checked = (own != null) ? own.dataSource() : GuardedDataSources.unguarded(dataSource);
		MonitoredHealthIndicator indicator = monitor.monitor(resources.get("database").orElseThrow(),
				new DataSourceCheck(checked));
		// A DOWN holds the breaker open until two more checks could have renewed it; a check that stops reporting
		// leaves the breaker to its own open wait.
		Duration hold = properties.getHealth().getInterval().plus(properties.getHealth().getTimeout()).multipliedBy(2);
		GuardedDataSources.guardOf(dataSource).ifPresent((guard) -> indicator.addStatusListener((status) -> {
			if (Status.DOWN.equals(status)) {
				guard.markDown(hold);
			}
			else if (Status.UP.equals(status)) {
				guard.markUp();
			}
		}));
		return indicator;
	}

}
