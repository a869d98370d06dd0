package io.attach.messaging;

import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InboxTransactionManager}: the inbox runs handlers only in a transaction of its own DataSource.
 *
 * @author attach
 */
class InboxTransactionManagerTests {

	@Test
	void whenTheOnlyManagerRunsNoTransactionOfTheDataSourceThenTheFirstSubscriptionFailsSayingSo() {
		MessagingTestRunners.withDatabase()
			.withUserConfiguration(OtherManager.class)
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("None of the application's transaction managers [otherManager] runs"
						+ " transactions of its DataSource")
				.hasStackTraceContaining(InboxTransactionManager.SETTING));
	}

	@Test
	void whenSeveralManagersAreNotPrimaryThenTheOneOfTheDataSourceIsChosen() {
		MessagingTestRunners.withDatabase()
			.withUserConfiguration(OtherManager.class, DataSourceManager.class)
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context.getBean(Inbox.class).getTransactionManager())
				.isSameAs(context.getBean("dataSourceManager")));
	}

	@Test
	void whenSeveralManagersRunTransactionsOfTheDataSourceThenTheNamedOneIsUsed() {
		MessagingTestRunners.withDatabase()
			.withUserConfiguration(DataSourceManager.class, SecondDataSourceManager.class)
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Several of the application's transaction managers"));
		MessagingTestRunners.withDatabase()
			.withUserConfiguration(DataSourceManager.class, SecondDataSourceManager.class)
			.withPropertyValues(InboxTransactionManager.SETTING + "=secondDataSourceManager")
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context.getBean(Inbox.class).getTransactionManager())
				.isSameAs(context.getBean("secondDataSourceManager")));
	}

	@Test
	void whenTheNamedManagerIsMissingThenStartupFailsSayingSo() {
		MessagingTestRunners.withDatabase()
			.withPropertyValues(InboxTransactionManager.SETTING + "=nope")
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(InboxTransactionManager.SETTING + " is 'nope', but there is no transaction"
						+ " manager of that name"));
	}

	@Test
	void withBootsOwnManagerItIsUsed() {
		MessagingTestRunners.withDatabase()
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context.getBean(Inbox.class).getTransactionManager())
				.isSameAs(context.getBean(PlatformTransactionManager.class)));
	}

	static DataSource otherDataSource() {
		return DataSourceBuilder.create()
			.url("jdbc:h2:mem:other_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
			.username("sa")
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	static class OtherManager {

		// Such as a manager of another database, or of another resource altogether.
		@Bean
		PlatformTransactionManager otherManager() {
			return new DataSourceTransactionManager(otherDataSource());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DataSourceManager {

		@Bean
		PlatformTransactionManager dataSourceManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondDataSourceManager {

		@Bean
		PlatformTransactionManager secondDataSourceManager(DataSource dataSource) {
			return new DataSourceTransactionManager(dataSource);
		}

	}

	static class Subscriber {

		@Subscribe(topic = "t", group = "g")
		void handle(String payload) {
		}

	}

}
