package io.attach.core;

import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Lists every required resource that is not attached, so that one restart fixes them all.
 *
 * @author attach
 */
class MissingResourcesFailureAnalyzer extends AbstractFailureAnalyzer<MissingResourcesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MissingResourcesException cause) {
		String missing = cause.getMissing()
			.stream()
			.map((declaration) -> String.format("    - %s: set %s", declaration.name(), declaration.settings()))
			.collect(Collectors.joining(System.lineSeparator()));
		String description = String.format("The application requires resources that are not attached:%n%s", missing);
		String action = "Set the missing environment variables, or remove the resources from attach.require "
				+ "if this environment runs without them.";
		return new FailureAnalysis(description, action, cause);
	}

}
