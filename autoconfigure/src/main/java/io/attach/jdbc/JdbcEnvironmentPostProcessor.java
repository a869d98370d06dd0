package io.attach.jdbc;

import java.util.Map;

import io.attach.core.AttachDefaults;
import io.attach.core.ResourceDeclaration;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Defaults Boot's settings for an attached database: a finite pool-acquire timeout, and no unbounded {@code db}
 * health check beside attach's time-bounded {@code database} one.
 *
 * @author attach
 */
class JdbcEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ResourceDeclaration.of(environment, "database").isAttached()) {
			AttachDefaults.add(environment, Map.of("spring.datasource.hikari.connection-timeout", "5s",
					"management.health.db.enabled", "false"));
		}
	}

}
