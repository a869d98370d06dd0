package io.attach.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback SMTP server a test owns that never offers STARTTLS, accepts any login and any mail, and records every
 * command it receives: what a man in the middle who strips {@code STARTTLS} from the {@code EHLO} reply sees.
 *
 * @author attach
 */
public final class RecordingSmtpServer implements AutoCloseable {

	private final ServerSocket server;

	private final Thread acceptor;

	private final List<String> commands = new CopyOnWriteArrayList<>();

	private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger received = new AtomicInteger();

	private volatile boolean closed;

	private RecordingSmtpServer() throws IOException {
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		this.acceptor = daemon("recording-smtp-accept-" + this.server.getLocalPort(), this::acceptUntilClosed);
	}

	/**
	 * Starts a server on a free loopback port.
	 * @return the running server
	 */
	public static RecordingSmtpServer start() {
		try {
			return new RecordingSmtpServer();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Returns the port the server listens on.
	 * @return the port
	 */
	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Returns every line clients sent outside of message data, in order, login exchanges included.
	 * @return the command lines
	 */
	public List<String> commands() {
		return List.copyOf(this.commands);
	}

	/**
	 * Returns the command lines that start with the given verb, ignoring case.
	 * @param verb the verb, such as {@code AUTH}
	 * @return the matching command lines
	 */
	public List<String> commands(String verb) {
		return this.commands.stream()
			.filter((line) -> verb(line).equals(verb.toUpperCase(Locale.ROOT)))
			.toList();
	}

	/**
	 * Returns the number of connections accepted.
	 * @return the connection count
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * Returns the number of messages accepted after {@code DATA}.
	 * @return the message count
	 */
	public int received() {
		return this.received.get();
	}

	private void acceptUntilClosed() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				// Closed by close().
				continue;
			}
			this.sockets.add(client);
			this.connections.incrementAndGet();
			daemon("recording-smtp-" + client.getPort(), () -> serve(client));
		}
	}

	private void serve(Socket client) {
		try (client) {
			BufferedReader in = new BufferedReader(
					new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
			OutputStream out = client.getOutputStream();
			reply(out, "220 recording ESMTP");
			String line;
			while ((line = in.readLine()) != null) {
				this.commands.add(line);
				switch (verb(line)) {
					// No STARTTLS: as the server, or a man in the middle, answers.
					case "EHLO" -> reply(out, "250-recording\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME");
					case "HELO" -> reply(out, "250 recording");
					case "AUTH" -> authenticate(line, in, out);
					case "MAIL", "RCPT", "NOOP", "RSET" -> reply(out, "250 2.0.0 OK");
					case "DATA" -> {
						reply(out, "354 End data with <CR><LF>.<CR><LF>");
						String data;
						while ((data = in.readLine()) != null && !data.equals(".")) {
							// The message itself is not a command.
						}
						this.received.incrementAndGet();
						reply(out, "250 2.0.0 Accepted");
					}
					case "QUIT" -> {
						reply(out, "221 2.0.0 Bye");
						return;
					}
					default -> reply(out, "502 5.5.2 Command not recognized");
				}
			}
		}
		catch (IOException ex) {
			// The peer went away: the connection is over either way.
		}
		finally {
			this.sockets.remove(client);
		}
	}

	private void authenticate(String line, BufferedReader in, OutputStream out) throws IOException {
		String[] words = line.split(" ");
		String mechanism = (words.length > 1) ? words[1].toUpperCase(Locale.ROOT) : "";
		// LOGIN asks for the user name unless given, then the password; PLAIN takes both in one line.
		int prompts = mechanism.equals("LOGIN") ? ((words.length > 2) ? 1 : 2) : ((words.length > 2) ? 0 : 1);
		for (int i = 0; i < prompts; i++) {
			reply(out, "334 ");
			String answer = in.readLine();
			if (answer == null) {
				return;
			}
			this.commands.add(answer);
		}
		reply(out, "235 2.7.0 Authentication successful");
	}

	private static String verb(String line) {
		int space = line.indexOf(' ');
		return ((space != -1) ? line.substring(0, space) : line).toUpperCase(Locale.ROOT);
	}

	private static void reply(OutputStream out, String reply) throws IOException {
		out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
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
		try {
			this.acceptor.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (Socket socket : this.sockets) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// Nothing more to do for a socket being thrown away.
			}
		}
	}

}
