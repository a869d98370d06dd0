package io.attach.core;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Fails startup when a resource in {@code attach.require} is missing or a kind's backend setting cannot be used,
 * turns off Boot's check of a service nobody attached or configured, and exposes the probes on the main port.
 *
 * @author attach
 */
class AttachEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	@Override
	public int getOrder() {
		// After config data, so that profile-specific files have set attach.require.
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ClassLoader classLoader = application.getClassLoader();
		List<String> required = Binder.get(environment)
			.bind("attach.require", Bindable.listOf(String.class))
			.orElse(List.of());
		List<ResourceDeclaration> missing = required.stream()
			.map((name) -> ResourceDeclaration.of(environment, classLoader, name))
			.filter((declaration) -> !declaration.isAttached())
			.toList();
		if (!missing.isEmpty()) {
			throw new MissingResourcesException(missing);
		}
		for (ResourceKind kind : ResourceKinds.all(classLoader)) {
			// Here rather than in a bean condition, which would only skip the kind's beans silently.
			if (!kind.backends().isEmpty() && kind.libraryClass()
				.map((name) -> ClassUtils.isPresent(name, classLoader))
				.orElse(true)) {
				Backends.resolve(environment, kind);
			}
			if (kind.bootCheckOffWhenUnused() && kind.bootHealthIndicator().isPresent()
					&& ResourceUse.reason(environment, kind).isEmpty()) {
				AttachDefaults.add(environment,
						Map.of("management.health." + kind.bootHealthIndicator().get() + ".enabled", "false"));
			}
		}
		AttachDefaults.add(environment, Map.of("management.endpoint.health.probes.add-additional-paths", "true"));
	}

}
