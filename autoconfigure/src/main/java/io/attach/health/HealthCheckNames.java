package io.attach.health;

import java.util.Map;
import java.util.Objects;

import io.attach.core.ResourceKind;
import io.attach.core.ResourceKinds;

import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The names under which a resource's health check is known: its bean's, and that of the check of Boot's it replaces.
 *
 * @author attach
 */
final class HealthCheckNames {

	private HealthCheckNames() {
	}

	/**
	 * Returns the resource a {@link ResourceHealthCheck @ResourceHealthCheck} names.
	 * @param metadata the metadata of the annotated configuration
	 * @return the resource name
	 */
	static String resource(AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = Objects
			.requireNonNull(metadata.getAnnotationAttributes(ResourceHealthCheck.class.getName()));
		return (String) Objects.requireNonNull(attributes.get("value"));
	}

	/**
	 * Returns the name of the health indicator whose {@code management.health.<name>.enabled} switches the check.
	 * @param resource the resource name
	 * @return Boot's indicator for the resource's kind, else the resource name
	 */
	static String indicator(String resource) {
		return ResourceKinds.named(resource).flatMap(ResourceKind::bootHealthIndicator).orElse(resource);
	}

	/**
	 * Returns the name of the bean of a check, from which Boot's health endpoint takes the component's name.
	 * @param name the resource or indicator name
	 * @return the bean name, such as {@code databaseHealthContributor}
	 */
	static String bean(String name) {
		return name + "HealthContributor";
	}

}
