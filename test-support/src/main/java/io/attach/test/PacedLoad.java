package io.attach.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load on loopback until closed: a fixed number of clients, each sending one {@code GET} at a time and
 * pausing between them, with a new plain-socket connection per request; answers are counted by status.
 *
 * @author attach
 */
public final class PacedLoad implements AutoCloseable {

	private final ExecutorService clients;

	private final Duration timeout;

	private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

	// When each outcome was last seen, to tell when the load has settled on one.
	private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

	private final long started = System.nanoTime();

	private volatile boolean running = true;

	/**
	 * Starts the clients.
	 * @param port the local port to send requests to
	 * @param path the path to get
	 * @param clients the number of clients
	 * @param pause how long each client pauses after an answer
	 * @param timeout the longest a client waits to connect, and for each read of an answer
	 */
	public PacedLoad(int port, String path, int clients, Duration pause, Duration timeout) {
		this.clients = Executors.newFixedThreadPool(clients);
		this.timeout = timeout;
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < clients; i++) {
			// Spread over one pause, as independent clients would be, rather than all at once.
			long offset = i * pause.toMillis() / clients;
			this.clients.execute(() -> {
				try {
					Thread.sleep(offset);
					while (this.running) {
						record(send(port, request, (int) timeout.toMillis()));
						Thread.sleep(pause.toMillis());
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
	}

	// A plain socket per request: the load must cost the measuring JVM as little as possible.
	private static String send(int port, byte[] request, int timeoutMillis) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
			socket.setSoTimeout(timeoutMillis);
			socket.getOutputStream().write(request);
			byte[] status = socket.getInputStream().readNBytes(12);
			socket.getInputStream().transferTo(OutputStream.nullOutputStream());
			return (status.length == 12) ? new String(status, 9, 3, StandardCharsets.US_ASCII) : "no answer";
		}
		catch (IOException ex) {
			return ex.getClass().getSimpleName();
		}
	}

	private void record(String outcome) {
		this.lastSeen.put(outcome, System.nanoTime());
		this.outcomes.computeIfAbsent(outcome, (key) -> new AtomicLong()).incrementAndGet();
	}

	/**
	 * Returns the outcomes since the last drain and starts counting afresh.
	 * @return the count of each status code, or of each exception's simple name
	 */
	public Map<String, Long> drain() {
		return counts(true);
	}

	/**
	 * Waits until, for a whole period, every answer has had the given outcome and there was at least one, as when
	 * the load has settled after the server recovered.
	 * @param outcome the outcome, such as {@code "200"}
	 * @param quiet how long only that outcome must have been seen
	 * @param atMost how long to wait at most
	 * @throws AssertionError if the load did not settle in time
	 */
	public void awaitOnly(String outcome, Duration quiet, Duration atMost) {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (!settled(outcome, quiet)) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("The load did not get only " + outcome + " for " + quiet + " within "
						+ atMost + "; outcomes since the last drain: " + counts(false));
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
	}

	// Nothing else for the whole period, and the outcome itself since then: clients that all hang have not settled.
	private boolean settled(String outcome, Duration quiet) {
		long lastOther = this.started;
		for (Map.Entry<String, Long> seen : this.lastSeen.entrySet()) {
			if (!seen.getKey().equals(outcome)) {
				lastOther = Math.max(lastOther, seen.getValue());
			}
		}
		Long last = this.lastSeen.get(outcome);
		return last != null && last > lastOther && System.nanoTime() - lastOther > quiet.toNanos();
	}

	private Map<String, Long> counts(boolean reset) {
		Map<String, Long> counts = new TreeMap<>();
		this.outcomes.forEach((outcome, count) -> counts.put(outcome, reset ? count.getAndSet(0) : count.get()));
		counts.values().removeIf((count) -> count == 0);
		return counts;
	}

	/**
	 * Returns how many requests got an HTTP answer, whatever its status.
	 * @param outcomes outcomes as {@link #drain()} returns them
	 * @return the number of answered requests
	 */
	public static long answered(Map<String, Long> outcomes) {
		return outcomes.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().chars().allMatch(Character::isDigit))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	/**
	 * Stops the clients and waits until each has had its last answer or timeout.
	 * @throws InterruptedException if interrupted while waiting
	 */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.clients.shutdownNow();
		// A blocked socket read does not heed the interrupt: it ends at its timeout.
		this.clients.awaitTermination(2 * this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
	}

}
