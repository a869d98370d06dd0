package io.attach.redis;

import java.time.Duration;

import io.attach.core.HostAndPort;
import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisUrl}.
 *
 * @author attach
 */
class RedisUrlTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			redis://cache:6379/0                   | -       | -      | cache | 6379 | 0 | false
			redis://cache                          | -       | -      | cache | 6379 | 0 | false
			redis://:s3cr%40t@cache:6380/2         | -       | s3cr@t | cache | 6380 | 2 | false
			redis://app:s3cret@cache               | app     | s3cret | cache | 6379 | 0 | false
			redis://s3cret@cache                   | -       | s3cret | cache | 6379 | 0 | false
			rediss://default:s3cret@cache:6380     | default | s3cret | cache | 6380 | 0 | true
			redis://cache?db=5                     | -       | -      | cache | 6379 | 5 | false
			redis://[::1]:6379/1                   | -       | -      | ::1   | 6379 | 1 | false
			redis+ssl://:s3cret@cache:6380         | -       | s3cret | cache | 6380 | 0 | true
			redis+tls://default:s3cret@cache/1     | default | s3cret | cache | 6379 | 1 | true
			redis://:@cache/5?username=predis&password=s3cret | predis | s3cret | cache | 6379 | 5 | false
			rediscache://cache:6379/1?password=s3cret | -     | s3cret | cache | 6379 | 1 | false
			""")
	void whenUrlIsSupportedThenPartsAreRead(String value, String username, String password, String host, int port,
			int database, boolean ssl) {
		RedisUrl url = of(value);
		assertThat(url.username()).isEqualTo(username);
		assertThat(url.password()).isEqualTo(password);
		assertThat(url.nodes()).hasSize(1);
		assertThat(url.nodes().get(0).host()).isEqualTo(host);
		assertThat(url.port(url.nodes().get(0))).isEqualTo(port);
		assertThat(url.database()).isEqualTo(database);
		assertThat(url.ssl()).isEqualTo(ssl);
		assertThat(url.verifyPeer()).isTrue();
		assertThat(url.sentinelMaster()).isNull();
	}

	@Test
	void whenSchemeIsSentinelThenNodesMasterAndDatabaseAreRead() {
		RedisUrl url = of("redis-sentinel://:s3cret@h1:26379,h2/3#mymaster");
		assertThat(url.sentinelMaster()).isEqualTo("mymaster");
		assertThat(url.nodes()).containsExactly(new HostAndPort("h1", 26379), new HostAndPort("h2", null));
		assertThat(url.port(url.nodes().get(1))).isEqualTo(26379);
		assertThat(url.database()).isEqualTo(3);
		assertThat(url.password()).isEqualTo("s3cret");
	}

	@Test
	void whenSchemeIsSentinelOverTlsThenTlsIsUsedToo() {
		RedisUrl url = of("rediss-sentinel://:s3cret@h1:26379,h2/0#mymaster");
		assertThat(url.ssl()).isTrue();
		assertThat(url.sentinelMaster()).isEqualTo("mymaster");
		assertThat(url.nodes()).hasSize(2);
		assertThat(of("redis-sentinel://h1/0#mymaster").ssl()).isFalse();
	}

	@Test
	void whenSentinelMasterIsAParameterThenItIsRead() {
		assertThat(of("redis-sentinel://h1:26379/0?sentinelMasterId=primary").sentinelMaster()).isEqualTo("primary");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			rediss://cache:6380?ssl_cert_reqs=none
			rediss://cache:6380?verifyPeer=false
			rediss://cache:6380?verifyPeer=NONE
			rediss://cache:6380?skip_verify=true
			""")
	void whenUrlOptsOutOfCertificateVerificationThenItIsOff(String value) {
		assertThat(of(value).verifyPeer()).isFalse();
	}

	@Test
	void whenUrlHasTimeoutsThenTheyAreRead() {
		RedisUrl url = of("redis://cache?timeout=250ms&connectTimeout=1s");
		assertThat(url.commandTimeout()).isEqualTo(Duration.ofMillis(250));
		assertThat(url.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void whenTlsIsUsedThenConnectionDetailsCarryABundle() {
		assertThat(new RedisUrlConnectionDetails(of("rediss://cache:6380")).getSslBundle()).isNotNull();
		assertThat(new RedisUrlConnectionDetails(of("redis://cache:6379")).getSslBundle()).isNull();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			no host                | redis://:canary@/0                       | has no host
			fragment, not Sentinel | rediss://:canary@cache:6380/#insecure     | has a fragment ('#…'), which only a redis-sentinel:// URL reads
			go-redis addr nodes    | redis://:canary@cache:6379/5?addr=cache:6380 | lists further nodes in ?addr=
			credentials twice      | redis://canary@cache/?username=bar        | gives credentials both before the host and in the query
			several hosts          | redis://:canary@h1,h2/0                  | lists several hosts
			sentinel without master| redis-sentinel://:canary@h1:26379/0      | names no Sentinel master
			database not a number  | redis://:canary@cache/zero               | is not a number
			bad timeout            | redis://:canary@cache?timeout=soon       | is not a duration
			socket                 | redis://:canary@%2Ftmp%2Fredis.sock       | unix socket
			raw slash in password  | redis://12/canary@cache:6379              | unencoded '/'
			raw ? in lone token    | redis://canary?x=y@cache:6379             | unencoded '?'
			raw ? in password      | redis://:canary?x=y@cache:6379            | unencoded '?'
			zero timeout           | redis://:canary@cache?timeout=0           | timeout=0, which Lettuce reads as waiting forever
			zero timeout in ms     | redis://:canary@cache:6379/0?timeout=0ms  | timeout=0ms, which Lettuce reads as waiting forever
			negative timeout       | redis://:canary@cache?timeout=-1s         | timeout=-1s, which is not a positive duration
			zero connect timeout   | redis://:canary@cache?connectTimeout=0s   | connectTimeout=0s, which Lettuce reads as waiting forever
			negative connect       | redis://canary@cache?connectTimeout=-5    | connectTimeout=-5, which is not a positive duration
			rediss zero timeout    | rediss://default:canary@cache:6380?timeout=0 | timeout=0, which Lettuce
			ssl on redis           | redis://:canary@cache:6379?ssl=true      | the TLS parameter 'ssl', which attach does not read
			""")
	void whenUrlIsUnusableThenErrorNamesVariableAndHidesPassword(String description, String value, String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value)).satisfies((ex) -> {
			assertThat(ex.getMessage()).startsWith("REDIS_URL").contains(problem).doesNotContain("canary");
			assertThat(ex.getAction()).doesNotContain("canary");
		});
	}

	@Test
	void whenQueryValueHoldsAtSignThenThePasswordStaysThePassword() {
		RedisUrl url = of("redis://:canary@cache.example.com?clientName=a@b");
		assertThat(url.password()).isEqualTo("canary");
		assertThat(url.nodes()).containsExactly(new HostAndPort("cache.example.com", null));
	}

	@Test
	void whenTimeoutIsZeroThenActionNamesTheDefaultToFallBackOn() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("redis://cache?timeout=0"))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("attach.redis.command-timeout"));
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> of("redis://cache?connectTimeout=0"))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("attach.redis.connect-timeout"));
	}

	private static RedisUrl of(String value) {
		return RedisUrl.of(ResourceUrl.of("REDIS_URL", value));
	}

}
