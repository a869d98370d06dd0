package io.attach.resilience;

import java.util.Map;

import org.springframework.util.ClassUtils;

/**
 * Defaults that turn off what Spring Cloud Commons adds on its own to an application that did not ask for Spring
 * Cloud: a {@code discoveryComposite} health entry, always UNKNOWN without a service registry, and a
 * {@code features} endpoint.
 * <p>
 * Spring Cloud CircuitBreaker needs Commons (its {@code CircuitBreakerFactory} lives there), so the starter brings it
 * without the rest of Spring Cloud. An application that brings Spring Cloud itself (every Spring Cloud starter
 * brings Spring Cloud Context, which the attach starter leaves out) keeps Spring Cloud's own defaults.
 *
 * @author attach
 */
final class SpringCloudCommonsDefaults {

	static final String COMMONS = "org.springframework.cloud.client.discovery.DiscoveryClient";

	static final String CONTEXT = "org.springframework.cloud.context.scope.refresh.RefreshScope";

	private SpringCloudCommonsDefaults() {
	}

	/**
	 * Returns the defaults for an application of the given class loader: none unless Spring Cloud Commons is present
	 * and Spring Cloud Context is not.
	 * @param classLoader the application's class loader
	 * @return the properties to default
	 */
	static Map<String, Object> properties(ClassLoader classLoader) {
		if (!ClassUtils.isPresent(COMMONS, classLoader) || ClassUtils.isPresent(CONTEXT, classLoader)) {
			return Map.of();
		}
		return Map.of("spring.cloud.discovery.client.composite-indicator.enabled", "false",
				"spring.cloud.discovery.client.health-indicator.enabled", "false", "spring.cloud.features.enabled",
				"false");
	}

}
