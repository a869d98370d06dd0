package io.attach.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback SMTP server a test owns that never offers STARTTLS, accepts any login and any mail, and records every
 * command it receives: what a man in the middle who strips {@code STARTTLS} from the {@code EHLO} reply sees.
 *
 * @author attach
 */
public final class RecordingSmtpServer extends LoopbackServer {

	private final List<String> commands = new CopyOnWriteArrayList<>();

	private final AtomicInteger received = new AtomicInteger();

	private RecordingSmtpServer() {
		super("recording-smtp");
	}

	/**
	 * Starts a server on a free loopback port.
	 * @return the running server
	 */
	public static RecordingSmtpServer start() {
		return started(new RecordingSmtpServer());
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
		return acceptedConnections();
	}

	/**
	 * Returns the number of messages accepted after {@code DATA}.
	 * @return the message count
	 */
	public int received() {
		return this.received.get();
	}

	@Override
	protected void serve(Socket client) throws IOException {
		try {
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
		finally {
			closeQuietly(client);
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

}
