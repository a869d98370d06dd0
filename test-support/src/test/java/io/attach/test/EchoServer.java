package io.attach.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link LoopbackServer} that echoes every byte back and remembers the threads that served its connections.
 *
 * @author attach
 */
final class EchoServer extends LoopbackServer {

	private final List<Thread> servingThreads = new CopyOnWriteArrayList<>();

	private EchoServer() {
		super("echo");
	}

	static EchoServer start() {
		return started(new EchoServer());
	}

	@Override
	protected void serve(Socket client) throws IOException {
		this.servingThreads.add(Thread.currentThread());
		try (InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
			in.transferTo(out);
		}
		finally {
			closeQuietly(client);
		}
	}

	/**
	 * Sends text and reads as many bytes back, or fewer if the connection ends first.
	 */
	static String roundTrip(Socket socket, String text) throws IOException {
		socket.setSoTimeout(5000);
		socket.getOutputStream().write(text.getBytes());
		byte[] buffer = new byte[text.length()];
		int read = 0;
		while (read < buffer.length) {
			int count = socket.getInputStream().read(buffer, read, buffer.length - read);
			if (count < 0) {
				break;
			}
			read += count;
		}
		return new String(buffer, 0, read);
	}

	List<Thread> servingThreads() {
		return List.copyOf(this.servingThreads);
	}

	void stop() {
		stopListening();
	}

	void resume() {
		resumeListening();
	}

}
