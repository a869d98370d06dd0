package io.attach.core;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at startup when resources listed in {@code attach.require} are not attached.
 *
 * @author attach
 */
public class MissingResourcesException extends RuntimeException {

	private final List<ResourceDeclaration> missing;

	/**
	 * Creates a new exception.
	 * @param missing the declarations of every missing resource
	 */
	public MissingResourcesException(List<ResourceDeclaration> missing) {
		super("Required resources are not attached: " + missing.stream()
			.map((declaration) -> declaration.name() + " (set " + declaration.settings() + ")")
			.collect(Collectors.joining(", ")));
		this.missing = List.copyOf(missing);
	}

	/**
	 * Returns the declarations of the missing resources.
	 * @return the missing resources
	 */
	public List<ResourceDeclaration> getMissing() {
		return this.missing;
	}

}
