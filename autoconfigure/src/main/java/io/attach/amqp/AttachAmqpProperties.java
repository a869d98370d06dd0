package io.attach.amqp;

import java.time.Duration;

import io.attach.core.Timeouts;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the attached AMQP broker.
 *
 * @author attach
 */
@ConfigurationProperties("attach.amqp")
public class AttachAmqpProperties {

	/**
	 * Time to establish the TCP connection to the broker, unless AMQP_URL has ?connection_timeout= or
	 * spring.rabbitmq.connection-timeout is set.
	 */
	private Duration connectTimeout = Duration.ofSeconds(5);

	/**
	 * Time the TLS and AMQP handshakes may take once connected.
	 */
	private Duration handshakeTimeout = Duration.ofSeconds(10);

	/**
	 * Time a channel operation, such as declaring a queue or opening a channel, may take, unless
	 * spring.rabbitmq.channel-rpc-timeout is set (the RabbitMQ client's default is 10 minutes).
	 */
	private Duration rpcTimeout = Duration.ofSeconds(30);

	/**
	 * Time consumers have to finish their deliveries once a connection is closed.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(5);

	/**
	 * Heartbeat interval the client asks the broker for, in whole seconds, unless AMQP_URL has ?heartbeat= or
	 * spring.rabbitmq.requested-heartbeat is set; a broker that stays silent for two intervals counts as lost.
	 */
	private Duration heartbeat = Duration.ofSeconds(30);

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = Timeouts.requirePositive("attach.amqp.connect-timeout", connectTimeout);
	}

	public Duration getHandshakeTimeout() {
		return this.handshakeTimeout;
	}

	public void setHandshakeTimeout(Duration handshakeTimeout) {
		this.handshakeTimeout = Timeouts.requirePositive("attach.amqp.handshake-timeout", handshakeTimeout);
	}

	public Duration getRpcTimeout() {
		return this.rpcTimeout;
	}

	public void setRpcTimeout(Duration rpcTimeout) {
		this.rpcTimeout = Timeouts.requirePositive("attach.amqp.rpc-timeout", rpcTimeout);
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = Timeouts.requirePositive("attach.amqp.shutdown-timeout", shutdownTimeout);
	}

	public Duration getHeartbeat() {
		return this.heartbeat;
	}

	public void setHeartbeat(Duration heartbeat) {
		this.heartbeat = Timeouts.requirePositive("attach.amqp.heartbeat", heartbeat);
	}

}
