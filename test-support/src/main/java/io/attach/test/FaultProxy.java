package io.attach.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * A loopback TCP proxy a test owns, switchable at runtime between pass-through and the faults a backing service
 * shows: refused connections, a black hole, added latency and connection resets.
 * <p>
 * Faults are injected here, never by stopping the machine's shared services.
 *
 * @author attach
 */
public final class FaultProxy extends LoopbackServer {

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
		RESET,

		/**
		 * Forward bytes, but reset a connection once its client has sent more than the configured number of bytes,
		 * such as a connection cut in the middle of a protocol's handshake.
		 */
		CUT

	}

	private final String targetHost;

	private final int targetPort;

	private final AtomicLong bytesFromClients = new AtomicLong();

	private volatile Mode mode = Mode.PASS;

	private volatile Duration latency = Duration.ZERO;

	private volatile long cutAfter;

	private FaultProxy(String targetHost, int targetPort) {
		super("fault-proxy");
		this.targetHost = targetHost;
		this.targetPort = targetPort;
	}

	/**
	 * Starts a proxy on a free loopback port in front of a target.
	 * @param targetHost the target host
	 * @param targetPort the target port
	 * @return the running proxy, passing traffic through
	 */
	public static FaultProxy to(String targetHost, int targetPort) {
		return started(new FaultProxy(targetHost, targetPort));
	}

	/**
	 * Returns the port the proxy listens on.
	 * @return the port
	 */
	public int getPort() {
		return port();
	}

	/**
	 * Returns the number of connections accepted so far, in any mode.
	 * @return the connection count
	 */
	public int getConnectionCount() {
		return acceptedConnections();
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

	/**
	 * Resets every new connection once its client has sent more than a number of bytes, which are forwarded; the
	 * chunk that goes past them is not.
	 * @param bytes the bytes a client may send on a connection
	 */
	public void cutAfter(long bytes) {
		this.cutAfter = bytes;
		switchTo(Mode.CUT);
	}

	private synchronized void switchTo(Mode next) {
		if (isClosed()) {
			throw new IllegalStateException("The proxy is closed");
		}
		Mode previous = this.mode;
		this.mode = next;
		if (next == Mode.REFUSE || next == Mode.RESET
				|| (previous == Mode.BLACKHOLE && next != Mode.BLACKHOLE)) {
			// A connection that lost bytes in the black hole cannot resume: reset it as a real peer eventually would.
			resetConnections();
		}
		if (next == Mode.REFUSE) {
			stopListening();
		}
		else {
			resumeListening();
		}
	}

	@Override
	protected void serve(Socket client) throws IOException {
		Mode current = this.mode;
		if (current == Mode.RESET) {
			resetQuietly(client);
			return;
		}
		if (current == Mode.BLACKHOLE) {
			pump(client, null, true);
			return;
		}
		Socket upstream = track(new Socket());
		try {
			// Each chunk goes on at once: Nagle's algorithm on a relay adds delayed-ACK stalls (40 ms on Linux)
			// to request/response protocols such as SMTP, which the real path does not have.
			client.setTcpNoDelay(true);
			upstream.setTcpNoDelay(true);
			upstream.connect(new InetSocketAddress(this.targetHost, this.targetPort), 5000);
		}
		catch (IOException ex) {
			resetQuietly(upstream);
			throw ex;
		}
		daemon("fault-proxy-down-" + client.getPort(), () -> pump(upstream, client, false));
		pump(client, upstream, true);
	}

	private void pump(Socket from, @Nullable Socket to, boolean fromClient) {
		byte[] buffer = new byte[16384];
		try (InputStream in = from.getInputStream()) {
			OutputStream out = (to != null) ? to.getOutputStream() : null;
			long sent = 0;
			int read;
			while ((read = in.read(buffer)) != -1) {
				if (fromClient) {
					this.bytesFromClients.addAndGet(read);
					sent += read;
				}
				Mode current = this.mode;
				if (current == Mode.CUT && fromClient && sent > this.cutAfter) {
					resetQuietly(from);
					if (to != null) {
						resetQuietly(to);
					}
					return;
				}
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
			forget(from);
		}
	}

}
