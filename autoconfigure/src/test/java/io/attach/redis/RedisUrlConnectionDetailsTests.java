package io.attach.redis;

import java.time.Duration;

import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Node;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Sentinel;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails.Standalone;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisUrlConnectionDetails} and the TLS choice {@link RedisUrlLettuceCustomizer} applies.
 *
 * @author attach
 */
class RedisUrlConnectionDetailsTests {

	@Test
	void whenUrlNamesOneServerThenDetailsAreStandalone() {
		RedisUrlConnectionDetails details = details("redis://app:s3cret@cache:6380/2");
		assertThat(details.getUsername()).isEqualTo("app");
		assertThat(details.getPassword()).isEqualTo("s3cret");
		Standalone standalone = details.getStandalone();
		assertThat(standalone).isNotNull();
		assertThat(standalone.getHost()).isEqualTo("cache");
		assertThat(standalone.getPort()).isEqualTo(6380);
		assertThat(standalone.getDatabase()).isEqualTo(2);
		assertThat(details.getSentinel()).isNull();
	}

	@Test
	void whenUrlNamesSentinelsThenDetailsCarryTheMasterNodesAndCredentials() {
		RedisUrlConnectionDetails details = details("redis-sentinel://app:s3cret@h1:26380,h2/3#mymaster");
		assertThat(details.getStandalone()).isNull();
		Sentinel sentinel = details.getSentinel();
		assertThat(sentinel).isNotNull();
		assertThat(sentinel.getMaster()).isEqualTo("mymaster");
		assertThat(sentinel.getDatabase()).isEqualTo(3);
		assertThat(sentinel.getNodes()).extracting(Node::host, Node::port)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("h1", 26380),
					org.assertj.core.groups.Tuple.tuple("h2", 26379));
		assertThat(sentinel.getUsername()).isEqualTo("app");
		assertThat(sentinel.getPassword()).isEqualTo("s3cret");
	}

	@Test
	void whenTlsUrlVerifiesThePeerThenTheBundleTrustsOnlyTheDefaultAuthorities() {
		SslBundle bundle = details("rediss://cache:6380").getSslBundle();
		assertThat(bundle).isNotNull();
		assertThat(bundle.getManagers().getTrustManagerFactory()).isNotSameAs(InsecureTrustManagerFactory.INSTANCE);
	}

	@Test
	void whenTlsUrlOptsOutOfVerificationThenTheBundleTrustsAnyCertificate() {
		SslBundle bundle = details("rediss://cache:6380?ssl_cert_reqs=none").getSslBundle();
		assertThat(bundle).isNotNull();
		assertThat(bundle.getManagers().getTrustManagerFactory()).isSameAs(InsecureTrustManagerFactory.INSTANCE);
	}

	@Test
	void whenTlsUrlOptsOutOfVerificationThenLettuceSkipsIt() {
		LettuceClientConfiguration configuration = lettuce("rediss://cache:6380?verifyPeer=false");
		assertThat(configuration.isUseSsl()).isTrue();
		assertThat(configuration.isVerifyPeer()).isFalse();
	}

	@Test
	void whenTlsUrlVerifiesThePeerThenLettuceVerifiesIt() {
		assertThat(lettuce("rediss://cache:6380").isVerifyPeer()).isTrue();
		assertThat(lettuce("redis://cache:6379?verifyPeer=false").isUseSsl()).isFalse();
	}

	@Test
	void whenUrlIsLoggedThenItShowsNodesAndDatabaseOnly() {
		assertThat(url("redis://app:canary@cache:6380/2")).hasToString("RedisUrl[cache:6380]/2");
	}

	@Test
	void whenDatabaseIndexHasFiveDigitsThenItIsReadAndSixAreRefused() {
		assertThat(url("redis://cache/99999").database()).isEqualTo(99999);
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> url("redis://cache/100000"))
			.satisfies((ex) -> assertThat(ex.getProblem()).isEqualTo("has a database index that is not a number"));
	}

	private static LettuceClientConfiguration lettuce(String value) {
		RedisUrlLettuceCustomizer customizer = new RedisUrlLettuceCustomizer(url(value), new AttachRedisProperties(),
				new MockEnvironment());
		LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
		customizer.customize(builder);
		LettuceClientConfiguration configuration = builder.build();
		assertThat(configuration.getCommandTimeout()).isEqualTo(Duration.ofMillis(500));
		return configuration;
	}

	private static RedisUrlConnectionDetails details(String value) {
		return new RedisUrlConnectionDetails(url(value));
	}

	private static RedisUrl url(String value) {
		return RedisUrl.of(ResourceUrl.of("REDIS_URL", value));
	}

}
