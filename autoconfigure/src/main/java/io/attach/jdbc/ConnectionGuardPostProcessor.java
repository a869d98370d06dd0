package io.attach.jdbc;

import java.lang.reflect.Method;

import javax.sql.DataSource;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.resilience.ResourceGuards;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Guards {@code getConnection()} of the attached database's pool, the {@code dataSource} bean that Boot builds from
 * {@code DATABASE_URL}, with the database's circuit breaker and a bulkhead as large as the pool, so that while the
 * database is known to be down, or the pool is already waited on by as many callers as it has connections, a request
 * fails at once instead of holding its thread for the pool's whole timeout. Other DataSources of the user's, and a
 * {@code dataSource} of the user's own or built from other connection details, are left alone.
 * <p>
 * The guard acts only once the application context has started: until then the calls are the application's startup,
 * such as Flyway's or Liquibase's migration, which has its own retries ({@code spring.flyway.connect-retries}) that
 * an open breaker would use up at once.
 *
 * @author attach
 */
final class ConnectionGuardPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartLifecycle {

	// Hikari's default maximum pool size, for a pool whose size Boot cannot read.
	private static final int DEFAULT_POOL_SIZE = 10;

	private static final String BEAN_NAME = "dataSource";

	// Where Boot's DataSourceConfiguration, which builds the pool from the JdbcConnectionDetails in use, lives.
	private static final String BOOT_DATA_SOURCE_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.";

	private @Nullable BeanFactory beanFactory;

	// Set once when the context starts and never reset: on shutdown the guard keeps protecting the draining requests.
	private volatile boolean started;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		BeanFactory beanFactory = this.beanFactory;
		if (!(bean instanceof DataSource dataSource) || !BEAN_NAME.equals(beanName) || beanFactory == null
				|| GuardedDataSources.guardOf(dataSource).isPresent()
				|| !isBuiltFromDatabaseUrl(beanFactory, beanName)) {
			return bean;
		}
		// Looked up only now, so that this early post-processor does not create them before their own.
		ResourceGuards guards = beanFactory.getBeanProvider(ResourceGuards.class).getIfAvailable();
		AttachedResource database = beanFactory.getBean(AttachedResources.class).get("database").orElse(null);
		if (guards == null || database == null) {
			return bean;
		}
		return guards.forResource(database, poolSize(beanFactory, dataSource))
			.map((guard) -> (Object) GuardedDataSources.guard(dataSource, guard, () -> this.started))
			.orElse(bean);
	}

	// Boot's auto-configured pool, and the connection details it was built from are attach's, not a user's bean's or
	// a @ServiceConnection's.
	private static boolean isBuiltFromDatabaseUrl(BeanFactory beanFactory, String beanName) {
		if (!(beanFactory.getBeanProvider(JdbcConnectionDetails.class)
			.getIfUnique() instanceof DatabaseUrlJdbcConnectionDetails)) {
			return false;
		}
		if (!(beanFactory instanceof ConfigurableListableBeanFactory listable)
				|| !listable.containsBeanDefinition(beanName)) {
			return false;
		}
		BeanDefinition definition = listable.getMergedBeanDefinition(beanName);
		Method factoryMethod = (definition instanceof RootBeanDefinition root) ? root.getResolvedFactoryMethod() : null;
		return factoryMethod != null
				&& factoryMethod.getDeclaringClass().getName().startsWith(BOOT_DATA_SOURCE_CONFIGURATION);
	}

	private static int poolSize(BeanFactory beanFactory, DataSource dataSource) {
		DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(
				beanFactory.getBeanProvider(DataSourcePoolMetadataProvider.class).orderedStream().toList())
			.getDataSourcePoolMetadata(dataSource);
		Integer max = (metadata != null) ? metadata.getMax() : null;
		return (max != null && max > 0) ? max : DEFAULT_POOL_SIZE;
	}

	@Override
	public void start() {
		this.started = true;
	}

	@Override
	public void stop() {
	}

	@Override
	public boolean isRunning() {
		return this.started;
	}

	@Override
	public int getPhase() {
		// First of all, before the web server takes requests.
		return Integer.MIN_VALUE;
	}

}
