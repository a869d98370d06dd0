package io.attach.test;

import java.net.ConnectException;

import io.attach.test.LocalServers.Server;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LocalServers}.
 *
 * @author attach
 */
class LocalServersTests {

	@Test
	void whenServerAcceptsConnectionsThenRequireReturnsIt() {
		try (EchoServer echo = EchoServer.start()) {
			Server server = new Server("Echo", "127.0.0.1", echo.port());
			assertThat(server.require()).isSameAs(server);
		}
	}

	@Test
	void whenServerIsNotReachableThenRequireFailsNamingItsProductAndAddress() {
		Server server = new Server("Test database", "127.0.0.1", closedPort());
		assertThatExceptionOfType(AssertionError.class).isThrownBy(server::require)
			.withMessageStartingWith("Test database is not reachable on 127.0.0.1:" + server.port() + ".")
			.withMessageContaining("start it")
			.withCauseInstanceOf(ConnectException.class);
	}

	@Test
	void whenServerIsNotReachableThenNoProxyIsStartedAndTheFailureNamesIt() {
		Server server = new Server("Test cache", "127.0.0.1", closedPort());
		assertThatExceptionOfType(AssertionError.class).isThrownBy(server::proxy)
			.withMessageStartingWith("Test cache is not reachable on 127.0.0.1:" + server.port() + ".");
	}

	// A port listened on a moment ago: the kernel hands out a just-released port again only rarely.
	private static int closedPort() {
		EchoServer echo = EchoServer.start();
		echo.close();
		return echo.port();
	}

}
