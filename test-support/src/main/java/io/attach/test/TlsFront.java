package io.attach.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A loopback TLS terminator a test owns: it presents a {@link TestTls} certificate and relays each connection,
 * decrypted, to a plain backend such as the local RabbitMQ, as a broker's TLS listener or a load balancer would.
 *
 * @author attach
 */
public final class TlsFront extends LoopbackServer {

	private final String backendHost;

	private final int backendPort;

	private final SSLSocketFactory tls;

	private final AtomicInteger handshakes = new AtomicInteger();

	private TlsFront(String backendHost, int backendPort, SSLContext context) {
		super("tls-front");
		this.backendHost = backendHost;
		this.backendPort = backendPort;
		this.tls = context.getSocketFactory();
	}

	/**
	 * Starts a front on a free loopback port in front of a plain backend.
	 * @param host the backend host
	 * @param port the backend port
	 * @return the running front
	 */
	public static TlsFront to(String host, int port) {
		return to(host, port, TestTls.serverSslContext());
	}

	/**
	 * Starts a front on a free loopback port in front of a plain backend, presenting another certificate, such as
	 * {@link TestTls#otherNameServerSslContext()}.
	 * @param host the backend host
	 * @param port the backend port
	 * @param context the server SSL context
	 * @return the running front
	 */
	public static TlsFront to(String host, int port, SSLContext context) {
		return started(new TlsFront(host, port, context));
	}

	/**
	 * Returns the number of connections that completed the TLS handshake.
	 * @return the count
	 */
	public int completedHandshakes() {
		return this.handshakes.get();
	}

	@Override
	protected void serve(Socket client) throws IOException {
		SSLSocket secure = track((SSLSocket) this.tls.createSocket(client, client.getInetAddress().getHostAddress(),
				client.getPort(), true));
		try {
			secure.setUseClientMode(false);
			secure.setSoTimeout(10_000);
			// A client that does not trust the certificate aborts here, and nothing reaches the backend.
			secure.startHandshake();
			secure.setSoTimeout(0);
			this.handshakes.incrementAndGet();
			try (Socket backend = track(new Socket())) {
				backend.setTcpNoDelay(true);
				backend.connect(new InetSocketAddress(this.backendHost, this.backendPort), 5000);
				Thread down = daemon("tls-front-down-" + backend.getLocalPort(),
						() -> pump(backend, secure));
				pump(secure, backend);
				try {
					down.join(5000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
		finally {
			closeQuietly(secure);
			closeQuietly(client);
		}
	}

	private void pump(Socket from, Socket to) {
		byte[] buffer = new byte[16384];
		try {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(buffer)) != -1) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// One side went away; closing both below ends the other direction too.
		}
		finally {
			closeQuietly(to);
			closeQuietly(from);
		}
	}

}
