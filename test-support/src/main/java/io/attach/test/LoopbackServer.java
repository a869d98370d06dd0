package io.attach.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A TCP server a test owns on a free {@code 127.0.0.1} port that serves each connection on a daemon thread of its
 * own, and whose {@link #close()} resets every connection it still tracks.
 * <p>
 * A subclass implements {@link #serve(Socket)} and passes the fully constructed server to
 * {@link #started(LoopbackServer)}, usually in a static factory method, so that no connection reaches a half-built
 * server.
 *
 * @author attach
 */
public abstract class LoopbackServer implements AutoCloseable {

	private final String name;

	private final int port;

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile ServerSocket server;

	// None until the subclass is constructed and started.
	private volatile @Nullable Thread acceptor;

	private volatile boolean closed;

	/**
	 * Binds a free loopback port; connections wait in the backlog until {@link #started(LoopbackServer)}.
	 * @param name the name of the server's threads
	 */
	protected LoopbackServer(String name) {
		this.name = name;
		this.server = bind(0);
		this.port = this.server.getLocalPort();
	}

	/**
	 * Returns the port the server listens on, the same for its whole life.
	 * @return the port
	 */
	public final int port() {
		return this.port;
	}

	/**
	 * Returns the number of connections accepted so far, including those reset because the server was closing.
	 * @return the connection count
	 */
	public final int acceptedConnections() {
		return this.accepted.get();
	}

	/**
	 * Serves one accepted connection, on a daemon thread of its own. The server tracks the connection until
	 * {@link #closeQuietly(Socket)} or {@link #resetQuietly(Socket)} is called for it; an {@link IOException} resets
	 * it.
	 * @param client the accepted connection
	 * @throws IOException if the exchange fails
	 */
	protected abstract void serve(Socket client) throws IOException;

	/**
	 * Starts accepting connections for a fully constructed server, for a subclass's static factory method.
	 * @param <S> the server type
	 * @param server the server
	 * @return the server, accepting connections
	 */
	protected static <S extends LoopbackServer> S started(S server) {
		LoopbackServer base = server;
		base.startAccepting();
		return server;
	}

	private synchronized void startAccepting() {
		if (this.acceptor == null) {
			this.acceptor = accept(this.server);
		}
	}

	/**
	 * Stops listening, so that connecting is refused, and returns once the port no longer accepts connections.
	 * Accepted connections stay open; the kernel resets those still waiting in the backlog.
	 */
	protected final synchronized void stopListening() {
		closeQuietly(this.server);
		awaitAcceptor();
	}

	/**
	 * Listens again, on the same port, after {@link #stopListening()}.
	 * @throws IllegalStateException if the server is closed
	 */
	protected final synchronized void resumeListening() {
		if (this.closed) {
			throw new IllegalStateException("The " + this.name + " server is closed");
		}
		if (this.server.isClosed()) {
			this.server = bind(this.port);
			this.acceptor = accept(this.server);
		}
	}

	/**
	 * Returns whether the server listens for connections now.
	 * @return whether it listens
	 */
	protected final boolean isListening() {
		return !this.server.isClosed();
	}

	/**
	 * Returns whether {@link #close()} was called.
	 * @return whether the server is closed
	 */
	protected final boolean isClosed() {
		return this.closed;
	}

	/**
	 * Tracks a socket the server opened itself, such as one to a backend, so that {@link #close()} resets it too.
	 * @param <S> the socket type
	 * @param socket the socket
	 * @return the socket
	 */
	protected final <S extends Socket> S track(S socket) {
		this.sockets.add(socket);
		return socket;
	}

	/**
	 * Stops tracking a socket without closing it, for a connection that is over.
	 * @param socket the socket
	 */
	protected final void forget(Socket socket) {
		this.sockets.remove(socket);
	}

	/**
	 * Closes a socket and stops tracking it.
	 * @param socket the socket
	 */
	protected final void closeQuietly(Socket socket) {
		forget(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Nothing more to do for a socket being thrown away.
		}
	}

	/**
	 * Resets a socket, as a crashed peer or a firewall would, and stops tracking it.
	 * @param socket the socket
	 */
	protected final void resetQuietly(Socket socket) {
		forget(socket);
		try {
			// No FIN and no waiting for unsent data: the peer sees a reset.
			socket.setSoLinger(true, 0);
		}
		catch (IOException ex) {
			// Already closed.
		}
		closeQuietly(socket);
	}

	/**
	 * Resets every tracked socket.
	 */
	protected final void resetConnections() {
		this.sockets.forEach(this::resetQuietly);
	}

	/**
	 * Starts a daemon thread, so that a thread a test forgot never keeps the JVM alive.
	 * @param name the thread's name
	 * @param task what the thread runs
	 * @return the started thread
	 */
	protected static Thread daemon(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private ServerSocket bind(int localPort) {
		try {
			ServerSocket socket = new ServerSocket();
			// The port must be bindable again at once after stopListening().
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort), 200);
			return socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Thread accept(ServerSocket listening) {
		return daemon(this.name + "-accept-" + this.port, () -> {
			while (!listening.isClosed()) {
				Socket client;
				try {
					client = listening.accept();
				}
				catch (IOException ex) {
					// Closed by stopListening() or close().
					continue;
				}
				this.accepted.incrementAndGet();
				track(client);
				if (listening.isClosed()) {
					// Accepted in the instant the listening socket was closed: as if it had been refused.
					resetQuietly(client);
					continue;
				}
				daemon(this.name + "-" + client.getPort(), () -> serveOrReset(client));
			}
		});
	}

	private void serveOrReset(Socket client) {
		try {
			serve(client);
		}
		catch (IOException ex) {
			// A failed exchange or a peer that went away: the connection is over either way.
			resetQuietly(client);
		}
	}

	private void awaitAcceptor() {
		Thread current = this.acceptor;
		if (current == null) {
			return;
		}
		try {
			// A thread blocked in accept() keeps the kernel socket listening until it wakes up: wait for it, so that
			// every connection attempt after this returns is refused.
			current.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	/**
	 * Stops listening and resets every tracked connection.
	 */
	@Override
	public void close() {
		synchronized (this) {
			this.closed = true;
			stopListening();
		}
		resetConnections();
	}

}
