package io.attach.redis;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidResourceUrlException;
import io.attach.test.FaultProxy;
import io.attach.test.LocalServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integration tests for {@link RedisAttachAutoConfiguration} against the machine's Redis, through a fault proxy.
 *
 * @author attach
 */
class RedisAttachIntegrationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, RedisAttachAutoConfiguration.class,
				DataRedisAutoConfiguration.class));

	@Test
	void whenRedisAnswersThenTheApplicationStartsAndPings() {
		try (FaultProxy proxy = LocalServers.REDIS.proxy()) {
			this.contextRunner.withPropertyValues("REDIS_URL=redis://127.0.0.1:" + proxy.getPort() + "?timeout=2s")
				.withBean(StartupPing.class)
				.run((context) -> assertThat(context.getBean(StartupPing.class).reply).isEqualTo("PONG"));
		}
	}

	@Test
	// Before the check, Lettuce took the 0 as its handshake timeout, and startup failed after about 10 s with a
	// ClosedChannelException that named nothing; a command could wait forever. The guard keeps a regression finite.
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
	void whenRedisUrlHasAZeroTimeoutThenStartupFailsNamingItBeforeAnyCallCanWaitOnABlackholedServer() {
		try (FaultProxy proxy = LocalServers.REDIS.proxy()) {
			this.contextRunner
				.withPropertyValues("REDIS_URL=redis://:canary@127.0.0.1:" + proxy.getPort() + "/0?timeout=0")
				.withBean(FaultProxy.class, () -> proxy)
				.withBean(PingThroughOutage.class)
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidResourceUrlException.class)
					.hasMessageStartingWith("REDIS_URL")
					.hasMessageContaining("timeout=0, which Lettuce reads as waiting forever")
					.hasMessageNotContaining("canary"));
			assertThat(proxy.getConnectionCount()).isZero();
		}
	}

	@Test
	void whenRedissUrlNamesAPlainTextRedisThenTheCheckSaysTheHandshakeGotNoAnswer() {
		int port = LocalServers.REDIS.require().port();
		this.contextRunner.withPropertyValues("REDIS_URL=rediss://127.0.0.1:" + port + "?timeout=1s")
			.run((context) -> {
				Health health = new RedisCheck(context.getBean(RedisConnectionFactory.class), true).health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("cause",
						"no answer in time to the TLS handshake: the server may speak plain text on that port");
			});
	}

	/**
	 * Talks to Redis while the application starts, as a cache warm-up would.
	 */
	static class StartupPing implements InitializingBean {

		private final RedisConnectionFactory connectionFactory;

		private String reply;

		StartupPing(RedisConnectionFactory connectionFactory) {
			this.connectionFactory = connectionFactory;
		}

		@Override
		public void afterPropertiesSet() {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				this.reply = connection.ping();
			}
		}

	}

	/**
	 * Pings Redis while the application starts, then again once the server is black-holed: with no command
	 * timeout, the second ping would never return.
	 */
	static class PingThroughOutage implements InitializingBean {

		private final RedisConnectionFactory connectionFactory;

		private final FaultProxy proxy;

		PingThroughOutage(RedisConnectionFactory connectionFactory, FaultProxy proxy) {
			this.connectionFactory = connectionFactory;
			this.proxy = proxy;
		}

		@Override
		public void afterPropertiesSet() {
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				connection.ping();
				this.proxy.blackhole();
				connection.ping();
			}
		}

	}

}
