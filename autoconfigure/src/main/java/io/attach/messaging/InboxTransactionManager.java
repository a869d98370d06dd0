package io.attach.messaging;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.ResourceTransactionManager;
import org.springframework.util.ReflectionUtils;

/**
 * Chooses the {@link PlatformTransactionManager} the {@link Inbox} runs handlers in: one that runs transactions of
 * the inbox's {@link DataSource}, so that the record of a message commits or rolls back with the handler's work.
 *
 * @author attach
 */
final class InboxTransactionManager {

	static final String SETTING = "attach.messaging.inbox.transaction-manager";

	private InboxTransactionManager() {
	}

	/**
	 * Chooses the manager: the one named, else the one of the application's managers that runs transactions of the
	 * DataSource (the primary one when several do), else, when the application has none, a new one of the DataSource.
	 * @param beanFactory the application's beans
	 * @param dataSource the inbox's DataSource
	 * @param name the bean name of the manager to use, or {@code null} to choose one
	 * @return the manager
	 * @throws IllegalStateException if the named one is missing, or no manager or several run its transactions
	 */
	static PlatformTransactionManager choose(ConfigurableListableBeanFactory beanFactory, DataSource dataSource,
			@Nullable String name) {
		if (name != null && !name.isBlank()) {
			try {
				// Named by the user, who vouches for it; the inbox checks it all the same with every message.
				return beanFactory.getBean(name, PlatformTransactionManager.class);
			}
			catch (NoSuchBeanDefinitionException ex) {
				throw new IllegalStateException(SETTING + " is '" + name + "', but there is no transaction manager of"
						+ " that name", ex);
			}
		}
		Map<String, PlatformTransactionManager> managers = BeanFactoryUtils.beansOfTypeIncludingAncestors(beanFactory,
				PlatformTransactionManager.class);
		if (managers.isEmpty()) {
			// The handler's JdbcTemplate work joins it all the same.
			return new DataSourceTransactionManager(dataSource);
		}
		List<String> candidates = managers.entrySet()
			.stream()
			.filter((entry) -> runsTransactionsOf(entry.getValue(), dataSource))
			.map(Map.Entry::getKey)
			.toList();
		if (candidates.size() > 1) {
			List<String> primary = candidates.stream()
				.filter((candidate) -> beanFactory.containsBeanDefinition(candidate)
						&& beanFactory.getBeanDefinition(candidate).isPrimary())
				.toList();
			candidates = (primary.size() == 1) ? primary : candidates;
		}
		if (candidates.size() == 1) {
			return Objects.requireNonNull(managers.get(candidates.get(0)));
		}
		String problem = candidates.isEmpty()
				? "None of the application's transaction managers " + managers.keySet()
						+ " runs transactions of its DataSource"
				: "Several of the application's transaction managers " + candidates
						+ " run transactions of its DataSource, and none is primary";
		throw new IllegalStateException(problem + ": the messaging inbox must record a message in the same transaction"
				+ " as its handler's work, or a failed handler's message would be lost, or a handled one handled"
				+ " twice. Set " + SETTING + " to the bean name of the one handlers use (a DataSourceTransactionManager"
				+ " or JpaTransactionManager of that DataSource), or turn the inbox off"
				+ " (attach.messaging.inbox.enabled=false) and make handlers idempotent");
	}

	/**
	 * Tells whether a manager runs transactions of a DataSource, as far as its type says.
	 * @param manager the manager
	 * @param dataSource the DataSource
	 * @return whether it does
	 */
	static boolean runsTransactionsOf(PlatformTransactionManager manager, DataSource dataSource) {
		if (manager instanceof ResourceTransactionManager resource && resource.getResourceFactory() == dataSource) {
			return true;
		}
		// JPA's and Hibernate's managers expose the DataSource they bind besides their own resource, through the same
		// getter; read reflectively, so that attach needs neither.
		Method getter = ReflectionUtils.findMethod(manager.getClass(), "getDataSource");
		if (getter == null || !DataSource.class.isAssignableFrom(getter.getReturnType())) {
			return false;
		}
		try {
			return ReflectionUtils.invokeMethod(getter, manager) == dataSource;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

}
