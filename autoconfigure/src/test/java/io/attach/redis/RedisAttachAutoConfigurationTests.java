package io.attach.redis;

import java.time.Duration;

import io.attach.core.AttachAutoConfiguration;
import io.attach.core.InvalidResourceUrlException;
import io.attach.core.InvalidSettingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisAttachAutoConfiguration}'s timeouts and TLS verification.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
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
				.hasMessageStartingWith("attach.redis.command-timeout is 0ms")
				.hasMessageContaining("attach never waits forever"));
	}

	@Test
	void whenUrlTimeoutsAreUnderAMillisecondThenLettuceGetsOneMillisecondRatherThanNone() {
		// Netty's connect timeout and Lettuce's command expiry count whole milliseconds, and read 0 as none.
		this.contextRunner
			.withPropertyValues("REDIS_URL=redis://:canary@cache.example.com:6379/0?timeout=500us&connectTimeout=500us")
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(commandTimeout(factory)).isEqualTo(Duration.ofMillis(1));
				assertThat(connectTimeout(factory)).isEqualTo(Duration.ofMillis(1));
			});
	}

	@Test
	void whenSpringTimeoutsAreUnderAMillisecondThenLettuceGetsOneMillisecondRatherThanNone() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.timeout=500us", "spring.data.redis.connect-timeout=999999ns")
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(commandTimeout(factory)).isEqualTo(Duration.ofMillis(1));
				assertThat(connectTimeout(factory)).isEqualTo(Duration.ofMillis(1));
			});
	}

	@Test
	void whenAttachConnectTimeoutIsUnderAMillisecondThenLettuceGetsOneMillisecondRatherThanNone() {
		this.contextRunner.withPropertyValues("attach.redis.connect-timeout=500us", "attach.redis.command-timeout=1500us")
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(connectTimeout(factory)).isEqualTo(Duration.ofMillis(1));
				assertThat(commandTimeout(factory)).isEqualTo(Duration.ofMillis(2));
			});
	}

	@Test
	void whenSpringConnectTimeoutIsSetThenItIsUsed() {
		this.contextRunner.withPropertyValues("spring.data.redis.connect-timeout=7s")
			.run((context) -> assertThat(connectTimeout(context.getBean(LettuceConnectionFactory.class)))
				.isEqualTo(Duration.ofSeconds(7)));
	}

	@Test
	void whenThePlatformOwnsTheUrlThenAPropertyTurnsVerificationOffWithAWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("REDIS_URL=rediss://:canary@cache.example.com:6380", "attach.redis.verify-peer=false")
			.run((context) -> {
				LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
				assertThat(factory.getClientConfiguration().isUseSsl()).isTrue();
				assertThat(factory.getClientConfiguration().isVerifyPeer()).isFalse();
			});
		assertThat(output).contains("attach.redis.verify-peer is false: the certificate of the Redis server of"
				+ " REDIS_URL is not verified").doesNotContain("canary");
	}

	@Test
	void whenTheUrlTurnsVerificationOffThenItIsOffWithAWarning(CapturedOutput output) {
		this.contextRunner.withPropertyValues("REDIS_URL=rediss://:canary@cache.example.com:6380?ssl_cert_reqs=none")
			.run((context) -> assertThat(
					context.getBean(LettuceConnectionFactory.class).getClientConfiguration().isVerifyPeer())
				.isFalse());
		assertThat(output).contains("REDIS_URL turns off certificate verification").doesNotContain("canary");
	}

	@Test
	void whenNothingTurnsVerificationOffThenTlsIsVerifiedWithoutAWarning(CapturedOutput output) {
		this.contextRunner.withPropertyValues("REDIS_URL=rediss://:canary@cache.example.com:6380").run((context) -> {
			LettuceConnectionFactory factory = context.getBean(LettuceConnectionFactory.class);
			assertThat(factory.getClientConfiguration().isUseSsl()).isTrue();
			assertThat(factory.getClientConfiguration().isVerifyPeer()).isTrue();
		});
		this.contextRunner
			.withPropertyValues("REDIS_URL=redis://:canary@cache.example.com:6379", "attach.redis.verify-peer=false")
			.run((context) -> assertThat(
					context.getBean(LettuceConnectionFactory.class).getClientConfiguration().isUseSsl())
				.isFalse());
		assertThat(output).doesNotContain("verif");
	}

	@Test
	void whenTheUrlHasParametersAttachDoesNotReadThenAWarningNamesThem(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("REDIS_URL=redis://:canary@cache.example.com:6379?clientName=web&timeout=1s&clientName=x")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output)
			.contains("REDIS_URL has the parameter(s) [clientName], which attach does not read: they are ignored. It"
					+ " reads [connectTimeout, database, db, password, sentinelMasterId, skip_verify, ssl_cert_reqs,"
					+ " timeout, username, verifyPeer]")
			.doesNotContain("canary");
	}

	private static Duration connectTimeout(LettuceConnectionFactory factory) {
		return factory.getClientConfiguration().getClientOptions().orElseThrow().getSocketOptions().getConnectTimeout();
	}

	private static Duration commandTimeout(LettuceConnectionFactory factory) {
		return factory.getClientConfiguration().getCommandTimeout();
	}

}
