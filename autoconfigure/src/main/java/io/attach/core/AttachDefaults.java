package io.attach.core;

import java.util.HashMap;
import java.util.Map;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The property source of attach's defaults for other libraries' settings, below everything the user configures.
 *
 * @author attach
 */
public final class AttachDefaults {

	/**
	 * Name of the property source, as shown by {@code /actuator/env}.
	 */
	public static final String NAME = "attachDefaults";

	private AttachDefaults() {
	}

	/**
	 * Adds defaults; any property source the user controls still wins.
	 * @param environment the environment
	 * @param defaults the properties to default
	 */
	@SuppressWarnings("unchecked")
	public static void add(ConfigurableEnvironment environment, Map<String, ?> defaults) {
		PropertySource<?> existing = environment.getPropertySources().get(NAME);
		if (existing == null) {
			environment.getPropertySources().addLast(new MapPropertySource(NAME, new HashMap<>(defaults)));
		}
		else {
			((Map<String, Object>) existing.getSource()).putAll(defaults);
		}
	}

}
