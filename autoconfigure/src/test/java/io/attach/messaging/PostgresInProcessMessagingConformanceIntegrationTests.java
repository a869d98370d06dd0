package io.attach.messaging;

import io.attach.test.LocalServers;
import org.junit.jupiter.api.BeforeAll;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The in-process backend against the {@link MessagingConformanceTests conformance suite}, with the outbox and the
 * inbox in the machine's real PostgreSQL, where a failed insert aborts the transaction it is in.
 *
 * @author attach
 */
class PostgresInProcessMessagingConformanceIntegrationTests extends MessagingConformanceTests {

	@BeforeAll
	static void requirePostgres() {
		LocalServers.POSTGRES.require();
	}

	@Override
	protected ApplicationContextRunner backend(ApplicationContextRunner runner) {
		return runner.withPropertyValues("MESSAGING_BACKEND=in-process");
	}

	@Override
	protected String databaseUrl() {
		return "jdbc:postgresql://" + LocalServers.POSTGRES.host() + ":" + LocalServers.POSTGRES.port() + "/test";
	}

	@Override
	protected String databaseUser() {
		return "postgres";
	}

}
