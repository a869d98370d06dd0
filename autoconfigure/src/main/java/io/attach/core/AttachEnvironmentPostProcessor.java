package io.attach.core;

import java.util.List;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Fails startup when a resource in {@code attach.require} is missing, and exposes the probes on the main port.
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
		List<String> required = Binder.get(environment)
			.bind("attach.require", Bindable.listOf(String.class))
			.orElse(List.of());
		List<ResourceDeclaration> missing = required.stream()
			.map((name) -> ResourceDeclaration.of(environment, name))
			.filter((declaration) -> !declaration.isAttached())
			.toList();
		if (!missing.isEmpty()) {
			throw new MissingResourcesException(missing);
		}
		AttachDefaults.add(environment, Map.of("management.endpoint.health.probes.add-additional-paths", "true"));
	}

}
