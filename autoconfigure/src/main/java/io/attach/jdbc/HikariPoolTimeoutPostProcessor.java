package io.attach.jdbc;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.InvalidSettingException;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Gives the attached database's Hikari pool, Boot's {@code dataSource} bean, a short wait for a free connection
 * (Hikari waits 30 s), unless the user set {@code spring.datasource.hikari.connection-timeout}, which must then be
 * positive. Other pools of the user's are left alone.
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
		Long timeout = Binder.get(environment).bind(PROPERTY, Long.class).orElse(null);
		if (timeout != null && timeout <= 0) {
			// Hikari reads 0 as no timeout at all: a caller would wait for a connection forever.
			throw new InvalidSettingException(PROPERTY,
					"is " + timeout + ", which Hikari reads as waiting forever for a connection",
					"Set a positive number of milliseconds (at least 250), or remove it to use attach's "
							+ DEFAULT_CONNECTION_TIMEOUT.toMillis() + "ms: attach never waits forever.");
		}
		this.configured = timeout != null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource dataSource && BEAN_NAME.equals(beanName) && !this.configured) {
			dataSource.setConnectionTimeout(DEFAULT_CONNECTION_TIMEOUT.toMillis());
		}
		return bean;
	}

}
