package io.attach.core;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Tells the user which setting holds a bad URL and how to fix it, with the password redacted.
 *
 * @author attach
 */
class InvalidResourceUrlFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResourceUrlException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidResourceUrlException cause) {
		String description = String.format("%s is not a usable URL.%n%n    Value:  %s%n    Reason: it %s.",
				cause.getSetting(), cause.getRedactedUrl(), cause.getProblem());
		return new FailureAnalysis(description, "Fix " + cause.getSetting() + ". " + cause.getAction(), cause);
	}

}
