package io.attach.test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load on loopback: a fixed number of clients, each sending one request at a time and pausing between
 * them, with a new plain-socket connection per request; answers are counted by status.
 *
 * @author attach
 */
public final class PacedLoad implements AutoCloseable {

	private final ExecutorService clients;

	private final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();

	private volatile boolean running = true;

	public PacedLoad(int port, String path, int count, long pauseMillis, int timeoutMillis) {
		this.clients = Executors.newFixedThreadPool(count);
		byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < count; i++) {
			// Spread over one pause, as independent clients would be, rather than all at once.
			long offset = i * pauseMillis / count;
			this.clients.execute(() -> {
				try {
					Thread.sleep(offset);
					while (this.running) {
						this.outcomes.computeIfAbsent(send(port, request, timeoutMillis), (key) -> new AtomicLong())
							.incrementAndGet();
						Thread.sleep(pauseMillis);
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}
	}

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

	/**
	 * Returns the outcomes so far and starts counting afresh.
	 * @return the count of each status code, or of each exception's name
	 */
	public Map<String, Long> drain() {
		Map<String, Long> counts = new TreeMap<>();
		this.outcomes.forEach((outcome, count) -> counts.put(outcome, count.getAndSet(0)));
		counts.values().removeIf((count) -> count == 0);
		return counts;
	}

	public static long answered(Map<String, Long> outcomes) {
		return outcomes.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().chars().allMatch(Character::isDigit))
			.mapToLong(Map.Entry::getValue)
			.sum();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.clients.shutdownNow();
		this.clients.awaitTermination(30, TimeUnit.SECONDS);
	}

}
