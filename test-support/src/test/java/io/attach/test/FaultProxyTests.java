package io.attach.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FaultProxy}, in front of an {@link EchoServer}.
 *
 * @author attach
 */
class FaultProxyTests {

	private EchoServer echo;

	private FaultProxy proxy;

	@BeforeEach
	void start() {
		this.echo = EchoServer.start();
		this.proxy = FaultProxy.to("127.0.0.1", this.echo.port());
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.echo.close();
	}

	@Test
	void whenPassingThenBytesAreEchoed() throws IOException {
		try (Socket socket = connect()) {
			assertThat(EchoServer.roundTrip(socket, "ping")).isEqualTo("ping");
		}
	}

	@Test
	void whenRefusingThenConnectingFailsAndPassingAgainReopensThePort() throws IOException {
		this.proxy.refuse();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(this::connect);
		this.proxy.pass();
		try (Socket socket = connect()) {
			assertThat(EchoServer.roundTrip(socket, "back")).isEqualTo("back");
		}
	}

	@Test
	void whenBlackholedThenConnectionIsAcceptedButNeverAnswered() throws IOException {
		this.proxy.blackhole();
		try (Socket socket = connect()) {
			socket.setSoTimeout(300);
			socket.getOutputStream().write("hello".getBytes());
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
		}
	}

	@Test
	void whenResettingThenOpenConnectionsAreReset() throws IOException {
		try (Socket socket = connect()) {
			assertThat(EchoServer.roundTrip(socket, "one")).isEqualTo("one");
			this.proxy.reset();
			socket.setSoTimeout(2000);
			assertThatExceptionOfType(SocketException.class).isThrownBy(() -> {
				socket.getOutputStream().write("two".getBytes());
				if (socket.getInputStream().read() == -1) {
					throw new SocketException("closed");
				}
			});
		}
	}

	@Test
	void whenAddingLatencyThenAnswersAreDelayed() throws IOException {
		this.proxy.latency(Duration.ofMillis(300));
		try (Socket socket = connect()) {
			long start = System.nanoTime();
			assertThat(EchoServer.roundTrip(socket, "slow")).isEqualTo("slow");
			// Functional check that the mode delays at all; both directions add the latency.
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		}
	}

	private Socket connect() throws IOException {
		return new Socket(InetAddress.getLoopbackAddress(), this.proxy.getPort());
	}

}
