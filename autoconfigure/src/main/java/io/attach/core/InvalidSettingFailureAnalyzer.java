package io.attach.core;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Tells the user which setting cannot be used and how to fix it.
 *
 * @author attach
 */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
		// The description says what is wrong, the action what to do: each once.
		return new FailureAnalysis(cause.getSetting() + " " + cause.getProblem() + ".", cause.getAction(), cause);
	}

}
