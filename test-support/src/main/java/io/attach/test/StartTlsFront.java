package io.attach.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import org.jspecify.annotations.Nullable;

/**
 * A loopback SMTP front a test owns that offers STARTTLS with the {@link TestTls} certificate and, once a client has
 * upgraded, relays the encrypted session to a plain SMTP backend such as GreenMail's.
 *
 * @author attach
 */
public final class StartTlsFront extends LoopbackServer {

	private static final int MAX_LINE_LENGTH = 1000;

	private final String backendHost;

	private final int backendPort;

	private final SSLSocketFactory tls = TestTls.serverSslContext().getSocketFactory();

	private final AtomicInteger upgraded = new AtomicInteger();

	private StartTlsFront(String backendHost, int backendPort) {
		super("starttls-front");
		this.backendHost = backendHost;
		this.backendPort = backendPort;
	}

	/**
	 * Starts a front on a free loopback port in front of a plain SMTP backend.
	 * @param host the backend host
	 * @param port the backend port
	 * @return the running front
	 */
	public static StartTlsFront to(String host, int port) {
		return started(new StartTlsFront(host, port));
	}

	/**
	 * Returns the number of connections that completed the TLS handshake after STARTTLS.
	 * @return the upgraded connection count
	 */
	public int upgradedConnections() {
		return this.upgraded.get();
	}

	@Override
	protected void serve(Socket client) throws IOException {
		try {
			InputStream in = client.getInputStream();
			OutputStream out = client.getOutputStream();
			reply(out, "220 starttls-front ESMTP");
			String line;
			while ((line = readLine(in)) != null) {
				String verb = verb(line);
				switch (verb) {
					case "EHLO" -> reply(out, "250-starttls-front\r\n250 STARTTLS");
					case "HELO" -> reply(out, "250 starttls-front");
					case "NOOP", "RSET" -> reply(out, "250 2.0.0 OK");
					case "QUIT" -> {
						reply(out, "221 2.0.0 Bye");
						return;
					}
					case "STARTTLS" -> {
						reply(out, "220 Ready to start TLS");
						relay(upgrade(client));
						return;
					}
					default -> reply(out, "530 5.7.0 Must issue a STARTTLS command first");
				}
			}
		}
		finally {
			closeQuietly(client);
		}
	}

	private SSLSocket upgrade(Socket client) throws IOException {
		// Nothing past the STARTTLS line has been read, so the handshake starts with the client's first TLS byte.
		SSLSocket secure = (SSLSocket) this.tls.createSocket(client, client.getInetAddress().getHostAddress(),
				client.getPort(), true);
		track(secure);
		secure.setUseClientMode(false);
		secure.startHandshake();
		this.upgraded.incrementAndGet();
		return secure;
	}

	private void relay(SSLSocket client) throws IOException {
		try (Socket backend = track(new Socket())) {
			backend.connect(new InetSocketAddress(this.backendHost, this.backendPort), 5000);
			InputStream backendIn = backend.getInputStream();
			// The client already had its greeting; it sends EHLO again next, as RFC 3207 requires.
			String greeting;
			do {
				greeting = readLine(backendIn);
			}
			while (greeting != null && greeting.startsWith("220-"));
			if (greeting == null || !greeting.startsWith("220")) {
				reply(client.getOutputStream(), "421 4.3.0 Backend not available");
				return;
			}
			Thread down = daemon("starttls-front-down-" + backend.getLocalPort(),
					() -> pump(backendIn, client, backend));
			pump(client.getInputStream(), backend, client);
			try {
				down.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		finally {
			closeQuietly(client);
		}
	}

	private void pump(InputStream from, Socket to, Socket source) {
		byte[] buffer = new byte[16384];
		try {
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = from.read(buffer)) != -1) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// One side went away; closing both below ends the other direction too.
		}
		finally {
			closeQuietly(to);
			closeQuietly(source);
		}
	}

	private static String verb(String line) {
		int space = line.indexOf(' ');
		return ((space != -1) ? line.substring(0, space) : line).toUpperCase(Locale.ROOT);
	}

	/**
	 * Reads one line byte by byte, so that no byte after its line feed is consumed.
	 * @param in the stream to read from
	 * @return the line without CRLF, or {@code null} at the end of the stream
	 * @throws IOException if reading fails or the line is too long
	 */
	private static @Nullable String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int next;
		while ((next = in.read()) != -1) {
			if (next == '\n') {
				byte[] bytes = line.toByteArray();
				int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, length, StandardCharsets.US_ASCII);
			}
			if (line.size() == MAX_LINE_LENGTH) {
				throw new IOException("SMTP line longer than " + MAX_LINE_LENGTH + " bytes");
			}
			line.write(next);
		}
		return null;
	}

	private static void reply(OutputStream out, String reply) throws IOException {
		out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

}
