package io.attach.outbox;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.Backends;
import io.attach.core.ResourceKinds;
import io.attach.health.ResourceHealthMonitor;
import io.attach.resilience.ResourceCircuitBreakers;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of the store behind
 * every outbox (a table in the attached database, or a local spool directory when no database is attached) and of
 * {@link Outboxes}, which a kind creates its channel's outbox with.
 * <p>
 * The store is lazy: it is created, with its table or directory, only when a resource queues work in it.
 *
 * @author attach
 */
@AutoConfiguration(after = AttachAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@EnableConfigurationProperties(AttachOutboxProperties.class)
public final class OutboxAttachAutoConfiguration {

	private static final Log logger = LogFactory.getLog(OutboxAttachAutoConfiguration.class);

	@Bean
	@Lazy
	@ConditionalOnMissingBean(OutboxStore.class)
	@ConditionalOnOutboxStore(AttachOutboxProperties.Store.FILE)
	FileOutboxStore outboxStore(AttachOutboxProperties properties, Environment environment) {
		Path directory = properties.getDirectory();
		if (directory == null) {
			String application = environment.getProperty("spring.application.name", "application");
			directory = SpoolDirectory.defaultFor(application);
			// Every channel shares the store, not only mail.
			String where = "Queued outbox items (mail, messages) are kept in " + directory + ", on this machine's or"
					+ " container's own disk";
			// The files stand in for the attached database's table: where the environment intends the database's
			// stand-in (attach.stand-ins), it intends them too.
			boolean intended = ResourceKinds.named("database")
				.map((kind) -> Backends.isIntended(environment, kind))
				.orElse(false);
			if (intended) {
				logger.info(where + " (attach.stand-ins names the database)");
			}
			else {
				logger.warn(where + ", which may not survive replacing the container: set attach.outbox.directory to a"
						+ " persistent volume, or attach a database");
			}
		}
		return new FileOutboxStore(directory);
	}

	@Bean
	@ConditionalOnMissingBean
	Outboxes outboxes(ObjectProvider<OutboxStore> outboxStore, AttachOutboxProperties properties,
			ObjectProvider<OutboxBuilderCustomizer> customizers) {
		return new Outboxes(outboxStore::getObject, properties, customizers.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Resilience4JCircuitBreakerFactory.class, CircuitBreakerRegistry.class })
	static class CircuitBreakerConfiguration {

		@Bean
		OutboxBuilderCustomizer outboxCircuitBreakerCustomizer(ObjectProvider<ResourceCircuitBreakers> breakers) {
			return (builder) -> builder.getResource()
				.ifPresent((resource) -> breakers
					.ifAvailable((available) -> builder.breaker(available.forResource(resource))));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		OutboxBuilderCustomizer outboxMetricsCustomizer(ObjectProvider<MeterRegistry> meterRegistry) {
			return (builder) -> meterRegistry.ifAvailable((registry) -> {
				OutboxMetrics metrics = new OutboxMetrics(builder.getChannel(), registry);
				builder.listener(metrics).whenStarted((outbox) -> metrics.bindStats(outbox::getStats));
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	static class RecoveryConfiguration {

		// Looked up once the outbox starts: the monitor gathers every outbox as a detail of its resource's health.
		@Bean
		OutboxBuilderCustomizer outboxRecoveryCustomizer(ObjectProvider<ResourceHealthMonitor> monitor) {
			return (builder) -> builder.whenStarted((outbox) -> monitor.ifAvailable((available) -> available
				.addStatusListener(builder.getChannel(), new RecoveryWake(outbox::recovered))));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnAvailableEndpoint(OutboxEndpoint.class)
		OutboxEndpoint outboxEndpoint(ObjectProvider<Outbox> outboxes) {
			return new OutboxEndpoint(outboxes.orderedStream().toList());
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(OutboxEndpoint.class)
		@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB, endpoint = OutboxEndpoint.class)
		OutboxEndpointWebExtension outboxEndpointWebExtension(OutboxEndpoint outboxEndpoint) {
			return new OutboxEndpointWebExtension(outboxEndpoint);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ DataSource.class, JdbcTemplate.class, DependsOnDatabaseInitialization.class })
	@ConditionalOnOutboxStore(AttachOutboxProperties.Store.JDBC)
	static class JdbcStoreConfiguration {

		// After Flyway or Liquibase, which may create the schema the table goes in.
		@Bean
		@Lazy
		@DependsOnDatabaseInitialization
		@ConditionalOnMissingBean(OutboxStore.class)
		@ConditionalOnSingleCandidate(DataSource.class)
		JdbcOutboxStore outboxStore(DataSource dataSource, AttachOutboxProperties properties, Environment environment) {
			checkShutdownGrace(properties, environment);
			JdbcOutboxStore store = new JdbcOutboxStore(dataSource, properties.getTable(),
					application(properties, environment), properties.isAdoptUnassigned(),
					properties.getInitializeSchema() == AttachOutboxProperties.InitializeSchema.ALWAYS);
			store.initialize();
			return store;
		}

		private static String application(AttachOutboxProperties properties, Environment environment) {
			if (properties.getApplication() != null) {
				return properties.getApplication();
			}
			String name = environment.getProperty("spring.application.name");
			if (name != null && !name.isBlank()) {
				return name;
			}
			// Every unnamed application on the database would share one queue and send each other's items.
			logger.warn("Outbox items in table " + properties.getTable() + " are kept for the application named"
					+ " 'application': set spring.application.name (or attach.outbox.application) so that other"
					+ " applications using this database do not take them, nor this one theirs");
			return "application";
		}

		// Checked with the table, where other instances wait for what a stopping one gives back: a spool's leases
		// live in memory and end with the process anyway.
		private static void checkShutdownGrace(AttachOutboxProperties properties, Environment environment) {
			Duration phase = Binder.get(environment)
				.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
				.orElse(Duration.ofSeconds(30));
			if (properties.getShutdownGrace().compareTo(phase) >= 0) {
				logger.warn("attach.outbox.shutdown-grace (" + properties.getShutdownGrace() + ") is not shorter than"
						+ " spring.lifecycle.timeout-per-shutdown-phase (" + phase + "): the application may close the"
						+ " database before a stopping relay gives back its items, which then wait for their lease"
						+ " (attach.outbox.lease)");
			}
		}

	}

}
