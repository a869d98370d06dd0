package io.attach.resilience;

import java.util.Map;

import io.attach.core.AttachDefaults;
import io.attach.core.ResourceDeclaration;
import io.attach.core.ResourceKind;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Writes attach's circuit-breaker defaults as {@code resilience4j.circuitbreaker.instances.<name>.*} properties of
 * the lowest precedence for every attached resource whose kind is {@link ResourceKind#guarded() guarded}, so that a
 * user's property overrides one setting and keeps attach's others; and, where the starter alone brought Spring Cloud,
 * the {@link SpringCloudCommonsDefaults} that keep Spring Cloud Commons out of the health endpoint and the endpoints.
 *
 * @author attach
 */
class ResilienceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	private static final String REGISTRY = "io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = application.getClassLoader();
		Map<String, Object> commonsDefaults = SpringCloudCommonsDefaults.properties(classLoader);
		if (!commonsDefaults.isEmpty()) {
			AttachDefaults.add(environment, commonsDefaults);
		}
		if (!ClassUtils.isPresent(REGISTRY, classLoader)) {
			return;
		}
		for (ResourceDeclaration declaration : ResourceDeclaration.all(environment, classLoader)) {
			// Only the kinds whose calls attach makes itself, or guards on the request path, with a breaker.
			ResourceKind kind = declaration.kind();
			if (declaration.isAttached() && kind != null && kind.guarded()) {
				AttachDefaults.add(environment, BreakerDefaults.properties(declaration.name()));
			}
		}
	}

}
