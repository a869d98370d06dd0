package io.attach.testkind;

import io.attach.core.ReadinessRole;
import io.attach.core.ResourceKind;

/**
 * The {@code echo} resource, a kind that exists only in tests, from {@code ECHO_URL} or its alias
 * {@code ECHO_SERVICE_URL}: it proves that a kind's descriptor and its own package are all a kind needs.
 *
 * @author attach
 */
final class EchoResourceKind extends ResourceKind {

	EchoResourceKind() {
		super(define("echo", "echo").variables("ECHO_URL", "ECHO_SERVICE_URL")
			.schemes("echo")
			.readiness(ReadinessRole.REQUIRED)
			.guarded());
	}

}
