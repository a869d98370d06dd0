package io.attach.amqp;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import org.jspecify.annotations.Nullable;

import io.attach.health.DownHealth;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Checks the attached broker: connects, within the client's connect and handshake timeouts, and runs every
 * {@link AmqpTopology}'s passive checks on channels of that connection. The details name the broker's host, port and
 * virtual host, never the credentials.
 *
 * @author attach
 */
final class AmqpCheck implements HealthIndicator {

	private final Connector connector;

	private final String virtualHost;

	private final Supplier<List<AmqpTopology>> topologies;

	AmqpCheck(Connector connector, String virtualHost, Supplier<List<AmqpTopology>> topologies) {
		this.connector = connector;
		this.virtualHost = virtualHost;
		this.topologies = topologies;
	}

	/**
	 * Returns a connector that opens a connection of its own for each check and closes it, with a copy of the
	 * application's client connection factory (its credentials, TLS and timeouts) that never recovers by itself.
	 * @param connectionFactory the application's client connection factory
	 * @param addresses the brokers
	 * @return the connector
	 */
	static Connector shortLived(ConnectionFactory connectionFactory, List<Address> addresses) {
		ConnectionFactory copy = connectionFactory.clone();
		copy.setAutomaticRecoveryEnabled(false);
		copy.setTopologyRecoveryEnabled(false);
		return new Connector() {

			@Override
			public Connection open() throws IOException, TimeoutException {
				return copy.newConnection(addresses, "attach-health-check");
			}

			@Override
			public void release(Connection connection) {
				// Bounded: a broker that stopped answering must not hold the check.
				connection.abort(copy.getShutdownTimeout());
			}

		};
	}

	@Override
	public Health health() {
		Connection connection;
		try {
			connection = this.connector.open();
		}
		catch (IOException | TimeoutException | RuntimeException ex) {
			return DownHealth.of(ex).withDetail("virtualHost", this.virtualHost).build();
		}
		try {
			Health.Builder health = Health.up()
				.withDetail("server", server(connection.getAddress(), connection.getPort()))
				.withDetail("virtualHost", this.virtualHost);
			Object version = connection.getServerProperties().get("version");
			if (version != null) {
				health.withDetail("version", version.toString());
			}
			for (AmqpTopology topology : this.topologies.get()) {
				String missing = verify(connection, topology);
				if (missing != null) {
					// The cause too, so that the log line and /actuator/attachments say what is missing.
					return health.down()
						.withDetail("topology", missing)
						.withDetail("cause", "the broker lacks what this application declares: " + missing)
						.build();
				}
			}
			return health.build();
		}
		finally {
			this.connector.release(connection);
		}
	}

	/**
	 * Runs one topology's checks on a channel of its own, since a failed passive declaration closes its channel.
	 * @param connection the connection
	 * @param topology the topology
	 * @return what is missing, or {@code null} when all is there
	 */
	private static @Nullable String verify(Connection connection, AmqpTopology topology) {
		Channel channel = null;
		try {
			channel = connection.createChannel();
			if (channel == null) {
				return "no channel is available on the connection";
			}
			topology.verify(channel);
			return null;
		}
		catch (IOException | RuntimeException ex) {
			return reason(ex);
		}
		finally {
			if (channel != null && channel.isOpen()) {
				try {
					channel.close();
				}
				catch (IOException | TimeoutException | RuntimeException ex) {
					// The connection is aborted next anyway.
				}
			}
		}
	}

	// The broker's words ("NOT_FOUND - no queue 'orders' in vhost '/'") are in the cause of the client's exception.
	private static String reason(Throwable failure) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			String message = current.getMessage();
			if (current instanceof ShutdownSignalException && message != null) {
				return message;
			}
		}
		String message = failure.getMessage();
		return (message != null) ? message : failure.getClass().getName();
	}

	// The host as the URL named it, without a reverse DNS lookup for an address given as an IP.
	private static String server(InetAddress address, int port) {
		String text = address.toString();
		int slash = text.indexOf('/');
		String host = (slash > 0) ? text.substring(0, slash) : address.getHostAddress();
		return ((host.indexOf(':') >= 0) ? "[" + host + "]" : host) + ":" + port;
	}

	/**
	 * Opens the connection a check runs on, and releases it afterwards.
	 */
	interface Connector {

		/**
		 * Opens, or borrows, a connection to the broker.
		 * @return the connection
		 * @throws IOException if the broker cannot be reached or refuses the connection
		 * @throws TimeoutException if the handshake takes too long
		 */
		Connection open() throws IOException, TimeoutException;

		/**
		 * Releases a connection {@link #open()} returned.
		 * @param connection the connection
		 */
		void release(Connection connection);

	}

}
