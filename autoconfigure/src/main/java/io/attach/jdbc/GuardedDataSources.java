package io.attach.jdbc;

import java.lang.reflect.Modifier;
import java.util.Optional;

import javax.sql.DataSource;

import io.attach.resilience.ResourceGuard;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;

/**
 * Puts a {@link ResourceGuard} around a {@link DataSource}'s {@code getConnection()} and nothing else, in a proxy of
 * the DataSource's own class, so that it can still be injected as a {@code HikariDataSource} and Boot still finds
 * the pool for metrics. Statements run on the connection are not guarded: a bad query never counts against the
 * database.
 *
 * @author attach
 */
final class GuardedDataSources {

	private GuardedDataSources() {
	}

	/**
	 * Returns a proxy of a DataSource whose {@code getConnection()} goes through a guard.
	 * @param dataSource the DataSource
	 * @param guard the guard of its resource
	 * @return the guarded DataSource, of the same class when that class is not final
	 */
	static DataSource guard(DataSource dataSource, ResourceGuard guard) {
		ProxyFactory factory = new ProxyFactory(dataSource);
		factory.setProxyTargetClass(!Modifier.isFinal(dataSource.getClass().getModifiers()));
		NameMatchMethodPointcutAdvisor advisor = new NameMatchMethodPointcutAdvisor(new ConnectionGuard(guard));
		advisor.setMappedName("getConnection");
		factory.addAdvisor(advisor);
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
			try {
				return (DataSource) ((Advised) dataSource).getTargetSource().getTarget();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not unwrap the guarded DataSource", ex);
			}
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
	 * Runs {@code getConnection()} through the guard, and throws {@link DatabaseUnavailableException} when the guard
	 * refuses it.
	 */
	private static final class ConnectionGuard implements MethodInterceptor {

		private final ResourceGuard guard;

		private ConnectionGuard(ResourceGuard guard) {
			this.guard = guard;
		}

		@Override
		public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
			return this.guard.call(invocation::proceed, DatabaseUnavailableException::new);
		}

	}

}
