package io.attach.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link PacedLoad}, against a {@link LoopbackServer} that answers every request with a set status.
 *
 * @author attach
 */
class PacedLoadTests {

	private static final Duration PAUSE = Duration.ofMillis(20);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private static final Duration QUIET = Duration.ofMillis(200);

	private static final Duration AT_MOST = Duration.ofSeconds(20);

	private final StatusServer server = StatusServer.start();

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void whenServerAnswersThenOutcomesAreCountedByStatusAndDrainingStartsAfresh() throws InterruptedException {
		PacedLoad load = new PacedLoad(this.server.port(), "/users/1", 3, PAUSE, TIMEOUT);
		try (load) {
			load.awaitOnly("404", QUIET, AT_MOST);
			assertThat(load.drain()).containsOnlyKeys("404");
			this.server.status = 503;
			load.awaitOnly("503", QUIET, AT_MOST);
			assertThat(load.drain()).containsKey("503");
		}
		// Closed: what was answered since the last drain is counted once, then nothing is left.
		load.drain();
		assertThat(load.drain()).isEmpty();
		assertThat(this.server.requestLines).containsOnly("GET /users/1 HTTP/1.1");
	}

	@Test
	void whenServerRefusesConnectionsThenTheOutcomeIsTheExceptionsName() throws InterruptedException {
		this.server.close();
		try (PacedLoad load = new PacedLoad(this.server.port(), "/", 2, PAUSE, TIMEOUT)) {
			load.awaitOnly("ConnectException", QUIET, AT_MOST);
			Map<String, Long> outcomes = load.drain();
			assertThat(outcomes).containsOnlyKeys("ConnectException");
			assertThat(PacedLoad.answered(outcomes)).isZero();
		}
	}

	@Test
	void whenLoadDoesNotSettleOnTheOutcomeThenAwaitingFailsNamingWhatItGot() throws InterruptedException {
		try (PacedLoad load = new PacedLoad(this.server.port(), "/", 2, PAUSE, TIMEOUT)) {
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> load.awaitOnly("200", QUIET, Duration.ofMillis(500)))
				.withMessageStartingWith("The load did not get only 200")
				.withMessageContaining("404=");
		}
	}

	@Test
	void whenCountingAnsweredRequestsThenEveryStatusCountsAndNoFailureDoes() {
		assertThat(PacedLoad.answered(Map.of("200", 3L, "503", 2L, "SocketTimeoutException", 7L, "no answer", 1L)))
			.isEqualTo(5);
	}

	/**
	 * Answers every request with {@link #status} and an empty body.
	 */
	private static final class StatusServer extends LoopbackServer {

		private final Set<String> requestLines = ConcurrentHashMap.newKeySet();

		private volatile int status = 404;

		private StatusServer() {
			super("status");
		}

		static StatusServer start() {
			return started(new StatusServer());
		}

		@Override
		protected void serve(Socket client) throws IOException {
			try {
				BufferedReader in = new BufferedReader(
						new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
				this.requestLines.add(in.readLine());
				String header;
				while ((header = in.readLine()) != null && !header.isEmpty()) {
					// The load's headers are not under test.
				}
				client.getOutputStream()
					.write(("HTTP/1.1 " + this.status + " Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
			}
			finally {
				closeQuietly(client);
			}
		}

	}

}
