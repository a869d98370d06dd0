package io.attach.jdbc;

import javax.sql.DataSource;

import io.attach.core.AttachedResource;
import io.attach.core.AttachedResources;
import io.attach.resilience.ResourceGuards;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;

/**
 * Guards {@code getConnection()} of the attached database's pool, Boot's {@code dataSource} bean, with the
 * database's circuit breaker and a bulkhead as large as the pool, so that while the database is known to be down,
 * or the pool is already waited on by as many callers as it has connections, a request fails at once instead of
 * holding its thread for the pool's whole timeout. Other DataSources of the user's are left alone.
 *
 * @author attach
 */
final class ConnectionGuardPostProcessor implements BeanPostProcessor, BeanFactoryAware {

	// Hikari's default maximum pool size, for a pool whose size Boot cannot read.
	private static final int DEFAULT_POOL_SIZE = 10;

	private static final String BEAN_NAME = "dataSource";

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		BeanFactory beanFactory = this.beanFactory;
		if (!(bean instanceof DataSource dataSource) || !BEAN_NAME.equals(beanName) || beanFactory == null
				|| GuardedDataSources.guardOf(dataSource).isPresent()) {
			return bean;
		}
		// Looked up only now, so that this early post-processor does not create them before their own.
		ResourceGuards guards = beanFactory.getBeanProvider(ResourceGuards.class).getIfAvailable();
		AttachedResource database = beanFactory.getBean(AttachedResources.class).get("database").orElse(null);
		if (guards == null || database == null) {
			return bean;
		}
		return guards.forResource(database, poolSize(beanFactory, dataSource))
			.map((guard) -> (Object) GuardedDataSources.guard(dataSource, guard))
			.orElse(bean);
	}

	private static int poolSize(BeanFactory beanFactory, DataSource dataSource) {
		DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(
				beanFactory.getBeanProvider(DataSourcePoolMetadataProvider.class).orderedStream().toList())
			.getDataSourcePoolMetadata(dataSource);
		Integer max = (metadata != null) ? metadata.getMax() : null;
		return (max != null && max > 0) ? max : DEFAULT_POOL_SIZE;
	}

}
