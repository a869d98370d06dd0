package io.attach.amqp;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultSaslConfig;
import io.attach.core.Timeouts;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.amqp.autoconfigure.ConnectionFactoryCustomizer;
import org.springframework.boot.amqp.autoconfigure.RabbitProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Gives the RabbitMQ client finite timeouts (it waits 10 minutes for a channel operation by default) and a heartbeat,
 * and applies what of the URL Boot's {@code RabbitConnectionDetails} cannot carry: {@code channel_max} and EXTERNAL
 * authentication.
 * <p>
 * A value in the URL wins; otherwise a {@code spring.rabbitmq.*} value the user set; otherwise {@code attach.amqp.*}.
 * None may be zero, which the client reads as waiting forever (or, for the heartbeat, never noticing a dead broker).
 *
 * @author attach
 */
final class AmqpConnectionFactoryCustomizer implements ConnectionFactoryCustomizer {

	private final @Nullable AmqpUrl url;

	private final Duration connectTimeout;

	private final Duration handshakeTimeout;

	private final Duration rpcTimeout;

	private final Duration shutdownTimeout;

	private final Duration heartbeat;

	private final Set<ConnectionFactory> customized = Collections.synchronizedSet(
			Collections.newSetFromMap(new IdentityHashMap<>()));

	AmqpConnectionFactoryCustomizer(@Nullable AmqpUrl url, AttachAmqpProperties properties, Environment environment) {
		this.url = url;
		Binder binder = Binder.get(environment);
		RabbitProperties rabbit = binder.bindOrCreate("spring.rabbitmq", RabbitProperties.class);
		// Boot's channel RPC timeout has a default (10 minutes) of its own: only one the user wrote counts.
		Duration rpc = binder.bind("spring.rabbitmq.channel-rpc-timeout", Duration.class).orElse(null);
		this.connectTimeout = choose((url != null) ? url.connectionTimeout() : null,
				spring("spring.rabbitmq.connection-timeout", rabbit.getConnectionTimeout(),
						"attach.amqp.connect-timeout"),
				properties.getConnectTimeout());
		this.heartbeat = choose((url != null) ? url.heartbeat() : null,
				spring("spring.rabbitmq.requested-heartbeat", rabbit.getRequestedHeartbeat(), "attach.amqp.heartbeat"),
				properties.getHeartbeat());
		this.rpcTimeout = choose(null, spring("spring.rabbitmq.channel-rpc-timeout", rpc, "attach.amqp.rpc-timeout"),
				properties.getRpcTimeout());
		this.handshakeTimeout = properties.getHandshakeTimeout();
		this.shutdownTimeout = properties.getShutdownTimeout();
	}

	@Override
	public void customize(ConnectionFactory connectionFactory) {
		connectionFactory.setConnectionTimeout(Timeouts.millis(this.connectTimeout));
		connectionFactory.setHandshakeTimeout(Timeouts.millis(this.handshakeTimeout));
		connectionFactory.setChannelRpcTimeout(Timeouts.millis(this.rpcTimeout));
		connectionFactory.setShutdownTimeout(Timeouts.millis(this.shutdownTimeout));
		// Whole seconds on the wire, rounded up so that under a second never becomes 0, no heartbeat.
		connectionFactory.setRequestedHeartbeat((int) Math.min(65535, (Timeouts.millis(this.heartbeat) + 999L) / 1000));
		if (this.url != null) {
			Integer channelMax = this.url.channelMax();
			if (channelMax != null) {
				connectionFactory.setRequestedChannelMax(channelMax);
			}
			if (this.url.externalAuth()) {
				connectionFactory.setSaslConfig(DefaultSaslConfig.EXTERNAL);
			}
		}
		this.customized.add(connectionFactory);
	}

	/**
	 * Tells whether a client connection factory went through this customizer, that is, was built by Boot from the
	 * {@code RabbitConnectionDetails} rather than by the user.
	 * @param connectionFactory the client connection factory
	 * @return whether it was customized here
	 */
	boolean customized(ConnectionFactory connectionFactory) {
		return this.customized.contains(connectionFactory);
	}

	Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	Duration getRpcTimeout() {
		return this.rpcTimeout;
	}

	Duration getHeartbeat() {
		return this.heartbeat;
	}

	private static @Nullable Duration spring(String name, @Nullable Duration value, String attachProperty) {
		return (value != null) ? Timeouts.requirePositive(name, value, "the RabbitMQ client", attachProperty) : null;
	}

	private static Duration choose(@Nullable Duration fromUrl, @Nullable Duration fromSpring, Duration attachDefault) {
		return (fromUrl != null) ? fromUrl : (fromSpring != null) ? fromSpring : attachDefault;
	}

}
