package io.attach.messaging;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Configuration of the {@link Inbox} in the attached database, imported after the backends so that an application
 * without messaging gets no table.
 *
 * @author attach
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ DataSource.class, JdbcTemplate.class, DependsOnDatabaseInitialization.class })
@ConditionalOnBooleanProperty(name = "attach.messaging.inbox.enabled", matchIfMissing = true)
class InboxConfiguration {

	// After Flyway or Liquibase, which may create the schema the table goes in. Lazy: created, with its table, when
	// the first subscription needs it, so that an application that never subscribes gets no table.
	@Bean
	@Lazy
	@DependsOnDatabaseInitialization
	@ConditionalOnBean(MessageBroker.class)
	@ConditionalOnSingleCandidate(DataSource.class)
	Inbox messagingInbox(DataSource dataSource, ConfigurableListableBeanFactory beanFactory,
			AttachMessagingProperties properties) {
		AttachMessagingProperties.Inbox settings = properties.getInbox();
		// The application's own manager of this DataSource, so that a handler's JPA or JDBC work joins the
		// transaction that records the message.
		PlatformTransactionManager transactionManager = InboxTransactionManager.choose(beanFactory, dataSource,
				settings.getTransactionManager());
		Inbox inbox = new Inbox(dataSource, transactionManager, settings.getTable(), settings.getRetention(),
				settings.getPurgeInterval(), Clock.systemUTC());
		inbox.initialize(settings.getInitializeSchema() == AttachMessagingProperties.InitializeSchema.ALWAYS);
		inbox.startPurge();
		return inbox;
	}

}
