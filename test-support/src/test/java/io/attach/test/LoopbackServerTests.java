package io.attach.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LoopbackServer}, through an {@link EchoServer}.
 *
 * @author attach
 */
class LoopbackServerTests {

	private final EchoServer server = EchoServer.start();

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void whenConnectionsAreOpenThenEachIsServedOnADaemonThreadOfItsOwn() throws IOException {
		try (Socket idle = connect(this.server); Socket busy = connect(this.server)) {
			// The first connection holds its thread in a read: the second must be served all the same.
			assertThat(EchoServer.roundTrip(busy, "ping")).isEqualTo("ping");
			assertThat(EchoServer.roundTrip(idle, "pong")).isEqualTo("pong");
		}
		assertThat(this.server.servingThreads()).hasSize(2).doesNotHaveDuplicates().allMatch(Thread::isDaemon);
		assertThat(this.server.acceptedConnections()).isEqualTo(2);
	}

	@Test
	void whenClosedThenConnectingIsRefusedAndOpenConnectionsAreReset() throws IOException {
		try (Socket open = connect(this.server)) {
			assertThat(EchoServer.roundTrip(open, "before")).isEqualTo("before");
			this.server.close();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(this.server));
			open.setSoTimeout(5000);
			// A reset, not an orderly end of stream (-1) and not a timeout.
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> open.getInputStream().read())
				.withMessageContaining("reset");
		}
	}

	@Test
	void whenListeningStopsThenConnectingIsRefusedUntilItResumesOnTheSamePort() throws IOException {
		try (Socket open = connect(this.server)) {
			// Accepted, not only waiting in the backlog, which closing the listening socket resets.
			assertThat(EchoServer.roundTrip(open, "open")).isEqualTo("open");
			this.server.stop();
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> connect(this.server));
			assertThat(EchoServer.roundTrip(open, "still open")).isEqualTo("still open");
			this.server.resume();
			try (Socket again = connect(this.server)) {
				assertThat(EchoServer.roundTrip(again, "again")).isEqualTo("again");
			}
		}
	}

	@Test
	void whenClosedThenListeningCannotResume() {
		this.server.close();
		assertThatIllegalStateException().isThrownBy(this.server::resume).withMessageContaining("echo");
	}

	@Test
	void whenServingFailsThenTheConnectionIsReset() throws IOException {
		try (FailingServer failing = FailingServer.start(); Socket socket = connect(failing)) {
			socket.setSoTimeout(5000);
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> socket.getInputStream().read())
				.withMessageContaining("reset");
		}
	}

	private static Socket connect(LoopbackServer server) throws IOException {
		return new Socket(InetAddress.getLoopbackAddress(), server.port());
	}

	private static final class FailingServer extends LoopbackServer {

		private FailingServer() {
			super("failing");
		}

		static FailingServer start() {
			return started(new FailingServer());
		}

		@Override
		protected void serve(Socket client) throws IOException {
			throw new IOException("Failing on purpose");
		}

	}

}
