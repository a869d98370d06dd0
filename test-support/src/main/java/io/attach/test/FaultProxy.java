package io.attach.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy a test owns, switchable at runtime between pass-through and the faults a backing service
 * shows: refused connections, a black hole, added latency and connection resets.
 * <p>
 * Faults are injected here, never by stopping the machine's shared services.
 *
 * @author attach
 */
public final class FaultProxy implements AutoCloseable {

	/**
	 * What the proxy does with connections.
	 */
	public enum Mode {

		/** Forward bytes both ways. */
		PASS,

		/** Stop listening, so that connecting is refused. */
		REFUSE,

		/** Accept connections and read from them, but never answer or forward. */
		BLACKHOLE,

		/** Forward bytes after the configured latency. */
		LATENCY,

		/** Accept connections and reset them at once. */
		RESET

	}

	private final String targetHost;

	private final int targetPort;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicLong bytesFromClients = new AtomicLong();

	private volatile Mode mode = Mode.PASS;

	private volatile Duration latency = Duration.ZERO;

	private volatile ServerSocket server;

	private volatile Thread acceptor;

	private volatile boolean closed;

	private FaultProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.server = listen(0);
		this.port = this.server.getLocalPort();
		startAccepting(this.server);
	}

	/**
	 * Starts a proxy on a free loopback port in front of a target.
	 * @param targetHost the target host
	 * @param targetPort the target port
	 * @return the running proxy, passing traffic through
	 */
	public static FaultProxy to(String targetHost, int targetPort) {
		try {
			return new FaultProxy(targetHost, targetPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the port the proxy listens on.
	 * @return the port
	 */
	public int getPort() {
		return this.port;
	}

	/**
	 * Returns the number of connections accepted so far, in any mode.
	 * @return the connection count
	 */
	public int getConnectionCount() {
		return this.connections.get();
	}

	/**
	 * Returns the number of bytes clients have sent through the proxy, whether forwarded or swallowed.
	 * @return the byte count
	 */
	public long getBytesFromClients() {
		return this.bytesFromClients.get();
	}

	/**
	 * Returns the current mode.
	 * @return the mode
	 */
	public Mode getMode() {
		return this.mode;
	}

	/**
	 * Forwards traffic again. Connections broken by an earlier fault stay broken.
	 */
	public void pass() {
		switchTo(Mode.PASS);
	}

	/**
	 * Refuses new connections and resets open ones.
	 */
	public void refuse() {
		switchTo(Mode.REFUSE);
	}

	/**
	 * Swallows traffic: open connections and new ones get no answer.
	 */
	public void blackhole() {
		switchTo(Mode.BLACKHOLE);
	}

	/**
	 * Resets open connections and every new one.
	 */
	public void reset() {
		switchTo(Mode.RESET);
	}

	/**
	 * Delays every chunk of forwarded data.
	 * @param delay the added latency
	 */
	public void latency(Duration delay) {
		this.latency = delay;
		switchTo(Mode.LATENCY);
	}

	private synchronized void switchTo(Mode next) {
		if (this.closed) {
			throw new IllegalStateException("The proxy is closed");
		}
		Mode previous = this.mode;
		this.mode = next;
		if (next == Mode.REFUSE || next == Mode.RESET
				|| (previous == Mode.BLACKHOLE && next != Mode.BLACKHOLE)) {
			// A connection that lost bytes in the black hole cannot resume: reset it as a real peer eventually would.
			this.sockets.forEach(FaultProxy::resetQuietly);
		}
		try {
			if (next == Mode.REFUSE && !this.server.isClosed()) {
				this.server.close();
				// A thread blocked in accept() keeps the kernel socket listening until it wakes up: wait for it, so
				// that every connection attempt after refuse() returns is refused.
				this.acceptor.join(5000);
			}
			else if (next != Mode.REFUSE && this.server.isClosed()) {
				this.server = listen(this.port);
				startAccepting(this.server);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private ServerSocket listen(int localPort) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort), 200);
		return socket;
	}

	private void startAccepting(ServerSocket listening) {
		this.acceptor = daemon("fault-proxy-accept-" + this.port, () -> {
			while (!listening.isClosed()) {
				try {
					Socket client = listening.accept();
					this.connections.incrementAndGet();
					if (listening.isClosed()) {
						// Accepted in the instant refuse() closed the socket.
						resetQuietly(client);
						continue;
					}
					handle(client);
				}
				catch (IOException ex) {
					// Closed by refuse() or close().
				}
			}
		});
	}

	private void handle(Socket client) throws IOException {
		this.sockets.add(client);
		Mode current = this.mode;
		if (current == Mode.RESET) {
			resetQuietly(client);
			return;
		}
		if (current == Mode.BLACKHOLE) {
			daemon("fault-proxy-blackhole", () -> pump(client, null, true));
			return;
		}
		Socket upstream = new Socket();
		try {
			// Each chunk goes on at once: Nagle's algorithm on a relay adds delayed-ACK stalls (40 ms on Linux)
			// to request/response protocols such as SMTP, which the real path does not have.
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
			upstream.connect(new InetSocketAddress(this.targetHost, this.targetPort), 5000);
		}
		catch (IOException ex) {
			resetQuietly(client);
			return;
		}
		this.sockets.add(upstream);
		daemon("fault-proxy-up", () -> pump(client, upstream, true));
		daemon("fault-proxy-down", () -> pump(upstream, client, false));
	}

	private void pump(Socket from, Socket to, boolean fromClient) {
		byte[] buffer = new byte[16384];
		try (InputStream in = from.getInputStream()) {
			OutputStream out = (to != null) ? to.getOutputStream() : null;
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (fromClient) {
					this.bytesFromClients.addAndGet(read);
				}
				Mode current = this.mode;
				if (current == Mode.BLACKHOLE || out == null) {
					continue;
				}
				if (current == Mode.LATENCY) {
					Thread.sleep(this.latency.toMillis());
				}
				out.write(buffer, 0, read);
				out.flush();
			}
			if (to != null) {
				to.shutdownOutput();
			}
		}
		catch (IOException | InterruptedException ex) {
			if (to != null) {
				resetQuietly(to);
			}
		}
		finally {
			this.sockets.remove(from);
		}
	}

	private static void resetQuietly(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (SocketException ex) {
			// Already closed.
		}
		catch (IOException ex) {
			// Nothing more to do for a socket being thrown away.
		}
	}

	private static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.sockets.forEach(FaultProxy::resetQuietly);
	}

}
