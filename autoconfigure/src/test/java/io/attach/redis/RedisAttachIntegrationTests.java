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
				DataRedisAutoConfiguration.class))
		.withBean(StartupPing.class);

	@Test
	void whenRedisAnswersThenTheApplicationStartsAndPings() {
		try (FaultProxy proxy = LocalServers.REDIS.proxy()) {
			this.contextRunner.withPropertyValues("REDIS_URL=redis://127.0.0.1:" + proxy.getPort() + "?timeout=2s")
				.run((context) -> assertThat(context.getBean(StartupPing.class).reply).isEqualTo("PONG"));
		}
	}

	@Test
	@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // Without the check this hangs.
	void whenRedisUrlHasAZeroTimeoutAndTheServerIsBlackholedThenStartupFailsNamingItInsteadOfHanging() {
		try (FaultProxy proxy = LocalServers.REDIS.proxy()) {
			proxy.blackhole();
			this.contextRunner
				.withPropertyValues("REDIS_URL=redis://:canary@127.0.0.1:" + proxy.getPort() + "/0?timeout=0")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.isInstanceOf(InvalidResourceUrlException.class)
					.hasMessageStartingWith("REDIS_URL")
					.hasMessageContaining("timeout=0, which Lettuce reads as waiting forever")
					.hasMessageNotContaining("canary"));
			assertThat(proxy.getConnectionCount()).isZero();
		}
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

}
