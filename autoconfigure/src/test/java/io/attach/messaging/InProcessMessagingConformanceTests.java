package io.attach.messaging;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The in-process backend against the {@link MessagingConformanceTests conformance suite}, with H2.
 *
 * @author attach
 */
class InProcessMessagingConformanceTests extends MessagingConformanceTests {

	@Override
	protected ApplicationContextRunner backend(ApplicationContextRunner runner) {
		return runner.withPropertyValues("MESSAGING_BACKEND=in-process");
	}

}
