package io.attach.jdbc;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Gives the attached database's Hikari pool, Boot's {@code dataSource} bean, a short wait for a free connection
 * (Hikari waits 30 s), unless the user set {@code spring.datasource.hikari.connection-timeout}. Other pools of the
 * user's are left alone.
 *
 * @author attach
 */
final class HikariPoolTimeoutPostProcessor implements BeanPostProcessor, EnvironmentAware {

	static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

	private static final String BEAN_NAME = "dataSource";

	private static final String PROPERTY = "spring.datasource.hikari.connection-timeout";

	private boolean configured;

	@Override
	public void setEnvironment(Environment environment) {
		// Bound rather than looked up, so that every relaxed form of the name counts.
		this.configured = Binder.get(environment).bind(PROPERTY, Long.class).isBound();
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource dataSource && BEAN_NAME.equals(beanName) && !this.configured) {
			dataSource.setConnectionTimeout(DEFAULT_CONNECTION_TIMEOUT.toMillis());
		}
		return bean;
	}

}
