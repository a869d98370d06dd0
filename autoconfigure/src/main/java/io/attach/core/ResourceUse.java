package io.attach.core;

import java.util.Optional;

import org.springframework.core.env.Environment;

/**
 * Tells whether the application uses a kind's service at all: its resource is attached, or the user configured the
 * service through Boot's own properties. Otherwise Boot may default to a server on localhost that nobody chose.
 *
 * @author attach
 */
public final class ResourceUse {

	private ResourceUse() {
	}

	/**
	 * Returns why the application uses the service of the kind whose resource has the given name.
	 * @param environment the environment
	 * @param resource the resource name, such as {@code cache}
	 * @return the reason, or empty when nothing attached or configured it
	 * @throws IllegalArgumentException if no kind attaches a resource of that name
	 */
	public static Optional<String> reason(Environment environment, String resource) {
		ResourceKind kind = ResourceKinds.named(resource)
			.orElseThrow(() -> new IllegalArgumentException("No resource kind attaches '" + resource + "'"));
		return reason(environment, kind);
	}

	/**
	 * Returns why the application uses a kind's service.
	 * @param environment the environment
	 * @param kind the kind
	 * @return the reason, or empty when nothing attached or configured it
	 */
	public static Optional<String> reason(Environment environment, ResourceKind kind) {
		if (ResourceDeclaration.of(environment, kind).isAttached()) {
			return Optional.of("the " + kind.resource() + " is attached");
		}
		return bootProperty(environment, kind).map((name) -> name + " is set");
	}

	/**
	 * Returns the first of the kind's Boot properties that is set.
	 * @param environment the environment
	 * @param kind the kind
	 * @return the property's name, or empty when the user configured none
	 */
	static Optional<String> bootProperty(Environment environment, ResourceKind kind) {
		return kind.bootProperties().stream().filter(environment::containsProperty).findFirst();
	}

}
