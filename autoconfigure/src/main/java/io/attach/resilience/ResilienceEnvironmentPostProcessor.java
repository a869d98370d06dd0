package io.attach.resilience;

import java.util.EnumSet;
import java.util.Set;

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
 * the lowest precedence, so that a user's property overrides one setting and keeps attach's others.
 *
 * @author attach
 */
class ResilienceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	// The kinds whose calls attach makes itself, or guards on the application's request path, with a breaker.
	private static final Set<ResourceKind> GUARDED = EnumSet.of(ResourceKind.JDBC, ResourceKind.REDIS,
			ResourceKind.SMTP);

	private static final String REGISTRY = "io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!ClassUtils.isPresent(REGISTRY, application.getClassLoader())) {
			return;
		}
		for (ResourceDeclaration declaration : ResourceDeclaration.all(environment)) {
			if (declaration.isAttached() && declaration.wellKnown() != null
					&& GUARDED.contains(declaration.wellKnown().kind())) {
				AttachDefaults.add(environment, BreakerDefaults.properties(declaration.name()));
			}
		}
	}

}
