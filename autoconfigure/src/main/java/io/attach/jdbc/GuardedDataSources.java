package io.attach.jdbc;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.attach.resilience.ResourceGuard;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * Puts a {@link ResourceGuard} around a {@link DataSource}'s {@code getConnection()} and nothing else, in a proxy of
 * the DataSource's own class, so that it can still be injected as a {@code HikariDataSource} and Boot still finds
 * the pool for metrics. Statements run on the connection are not guarded: a bad query never counts against the
 * database; neither does {@code getConnection(user, password)}, which pools refuse whatever the database's state.
 *
 * @author attach
 */
final class GuardedDataSources {

	private GuardedDataSources() {
	}

	/**
	 * Returns a proxy of a DataSource whose {@code getConnection()} goes through a guard once it is active.
	 * @param dataSource the DataSource
	 * @param guard the guard of its resource
	 * @param active whether the guard is active yet; until it is, calls go straight to the DataSource, uncounted
	 * @return the guarded DataSource, of the same class when that class is not final
	 */
	static DataSource guard(DataSource dataSource, ResourceGuard guard, BooleanSupplier active) {
		ProxyFactory factory = new ProxyFactory(dataSource);
		factory.setProxyTargetClass(!Modifier.isFinal(dataSource.getClass().getModifiers()));
		factory.addAdvisor(new DefaultPointcutAdvisor(new GetConnection(), new ConnectionGuard(guard, active)));
		return (DataSource) factory.getProxy(dataSource.getClass().getClassLoader());
	}

	/**
	 * Returns the DataSource behind a guard, for the health check, which must reach the database while the breaker
	 * is open to see it come back.
	 * @param dataSource a DataSource, guarded or not
	 * @return the DataSource without the guard
	 */
	static DataSource unguarded(DataSource dataSource) {
		if (guardOf(dataSource).isPresent()) {
			Object target;
			try {
				target = ((Advised) dataSource).getTargetSource().getTarget();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not unwrap the guarded DataSource", ex);
			}
			if (!(target instanceof DataSource unguarded)) {
				throw new IllegalStateException("The guarded DataSource has no DataSource behind it: " + target);
			}
			return unguarded;
		}
		return dataSource;
	}

	/**
	 * Returns the guard of a DataSource.
	 * @param dataSource a DataSource, guarded or not
	 * @return its guard, or empty when it has none
	 */
	static Optional<ResourceGuard> guardOf(DataSource dataSource) {
		if (dataSource instanceof Advised advised) {
			for (org.springframework.aop.Advisor advisor : advised.getAdvisors()) {
				if (advisor.getAdvice() instanceof ConnectionGuard connectionGuard) {
					return Optional.of(connectionGuard.guard);
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Matches {@code getConnection()} without arguments, the pool's own credentials.
	 */
	private static final class GetConnection extends StaticMethodMatcherPointcut {

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			return method.getName().equals("getConnection") && method.getParameterCount() == 0;
		}

	}

	/**
	 * Runs {@code getConnection()} through the guard, and throws {@link DatabaseUnavailableException} when the guard
	 * refuses it.
	 */
	private static final class ConnectionGuard implements MethodInterceptor {

		private final ResourceGuard guard;

		private final BooleanSupplier active;

		private ConnectionGuard(ResourceGuard guard, BooleanSupplier active) {
			this.guard = guard;
			this.active = active;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			if (!this.active.getAsBoolean()) {
				return invocation.proceed();
			}
			return this.guard.call(invocation::proceed, DatabaseUnavailableException::new);
		}

	}

}
