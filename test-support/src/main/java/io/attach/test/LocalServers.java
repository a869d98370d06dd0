package io.attach.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The machine's real backing services that integration tests run against, with a clear failure when one is down.
 *
 * @author attach
 */
public final class LocalServers {

	/** PostgreSQL, trust authentication, database {@code test}. */
	public static final Server POSTGRES = new Server("PostgreSQL", "127.0.0.1", 5432);

	/** MariaDB, user root without password, database {@code test}. */
	public static final Server MARIADB = new Server("MariaDB", "127.0.0.1", 3306);

	/** Redis. */
	public static final Server REDIS = new Server("Redis", "127.0.0.1", 6379);

	/** RabbitMQ, guest/guest. */
	public static final Server RABBITMQ = new Server("RabbitMQ", "127.0.0.1", 5672);

	private LocalServers() {
	}

	/**
	 * A server on this machine.
	 *
	 * @param name the server's product name, used in the failure message
	 * @param host the host
	 * @param port the port
	 */
	public record Server(String name, String host, int port) {

		/**
		 * Fails the test, naming the server, when it does not accept connections.
		 * @return this server
		 */
		public Server require() {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(this.host, this.port), 2000);
				return this;
			}
			catch (IOException ex) {
				throw new AssertionError(this.name + " is not reachable on " + this.host + ":" + this.port
						+ ". The integration tests need the real server: start it (.ci/run does) and run them again.",
						ex);
			}
		}

		/**
		 * Starts a fault proxy in front of this server.
		 * @return the proxy, passing traffic through
		 */
		public FaultProxy proxy() {
			return FaultProxy.to(require().host, this.port);
		}

	}

}
