package io.attach.jdbc;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.attach.core.InvalidSettingException;
import io.attach.core.Timeouts;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.NumberUtils;

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
		String timeout = Binder.get(environment).bind(PROPERTY, String.class).orElse(null);
		if (timeout != null) {
			Timeouts.requirePositive(Duration.ofMillis(millis(timeout)), "Hikari",
					"a positive number of milliseconds (at least 250)",
					"attach's " + DEFAULT_CONNECTION_TIMEOUT.toMillis() + "ms",
					(problem, action) -> new InvalidSettingException(PROPERTY,
							"is " + timeout + ", " + problem + " for a connection", action));
		}
		this.configured = timeout != null;
	}

	// Read as Boot reads it for Hikari's own setter, a long of milliseconds: "250ms" fails there too, less clearly.
	private static long millis(String timeout) {
		try {
			return NumberUtils.parseNumber(timeout, Long.class);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSettingException(PROPERTY, "is '" + timeout
					+ "', which is not a whole number of milliseconds, the only form Hikari's settings take",
					"Write it without a unit, such as 250 for 250ms or 5000 for 5s.");
		}
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource dataSource && BEAN_NAME.equals(beanName) && !this.configured) {
			dataSource.setConnectionTimeout(Timeouts.millis(DEFAULT_CONNECTION_TIMEOUT));
		}
		return bean;
	}

}
