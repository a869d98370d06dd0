package io.attach.redis;

import java.time.Duration;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidResourceUrlException;
import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisAttachAutoConfiguration}'s timeouts.
 *
 * @author attach
 */
class RedisAttachAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AttachAutoConfiguration.class, RedisAttachAutoConfiguration.class,
				DataRedisAutoConfiguration.class))
		.withPropertyValues("REDIS_URL=redis://:canary@cache.example.com:6379/0");

	@Test
	void whenNothingElseIsSetThenAttachsCommandTimeoutIsUsed() {
		this.contextRunner.run((context) -> assertThat(commandTimeout(context.getBean(LettuceConnectionFactory.class)))
			.isEqualTo(Duration.ofMillis(500)));
	}

	@Test
	void whenSpringTimeoutIsPositiveThenItIsUsed() {
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=3s")
			.run((context) -> assertThat(commandTimeout(context.getBean(LettuceConnectionFactory.class)))
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void whenSpringTimeoutIsZeroThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("spring.data.redis.timeout=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.data.redis.timeout is 0ms")
				.hasMessageContaining("waiting forever")
				.hasMessageNotContaining("canary"));
	}

	@Test
	void whenSpringConnectTimeoutIsNegativeThenStartupFailsNamingIt() {
		this.contextRunner.withPropertyValues("spring.data.redis.connect-timeout=-1s")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidSettingException.class)
				.hasMessageStartingWith("spring.data.redis.connect-timeout is -1000ms"));
	}

	@Test
	void whenUrlTimeoutIsZeroThenStartupFailsNamingTheVariable() {
		this.contextRunner.withPropertyValues("REDIS_URL=redis://:canary@cache.example.com:6379/0?timeout=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidResourceUrlException.class)
				.hasMessageStartingWith("REDIS_URL")
				.hasMessageContaining("timeout=0")
				.hasMessageNotContaining("canary"));
	}

	@Test
	void whenAttachTimeoutIsZeroThenStartupFails() {
		this.contextRunner.withPropertyValues("attach.redis.command-timeout=0ms")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Timeouts must be positive"));
	}

	private static Duration commandTimeout(LettuceConnectionFactory factory) {
		return factory.getClientConfiguration().getCommandTimeout();
	}

}
