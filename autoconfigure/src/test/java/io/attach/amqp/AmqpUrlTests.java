package io.attach.amqp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.attach.core.HostAndPort;
import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AmqpUrl}: the RabbitMQ URI specification's examples and every form attach reads, with its errors.
 *
 * @author attach
 */
class AmqpUrlTests {

	private static final String SECRET = "S3cr3t-pw";

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			amqp://user:pass@host:10000/vhost                 | user  | pass     | host           | 10000 | vhost   | false
			amqp://user%61:%61pass@ho%61st:10000/v%2fhost     | usera | apass    | hoast          | 10000 | v/host  | false
			amqp://host                                       | -     | -        | host           | 5672  | /       | false
			amqp://host/%2f                                   | -     | -        | host           | 5672  | /       | false
			amqp://host/%2F                                   | -     | -        | host           | 5672  | /       | false
			amqp://[::1]                                      | -     | -        | ::1            | 5672  | /       | false
			amqp://u:p@[2001:db8::7]:5673/v                   | u     | p        | 2001:db8::7    | 5673  | v       | false
			amqps://user:pw@broker.example.com                | user  | pw       | broker.example.com | 5671 | /     | true
			AMQPS://user:pw@Broker:5672/vh                    | user  | pw       | Broker         | 5672  | vh      | true
			amqps://user:pw@cow.rmq.cloudamqp.com/user        | user  | pw       | cow.rmq.cloudamqp.com | 5671 | user | true
			amqp://us+er:p+w@host/a+b                         | us+er | p+w      | host           | 5672  | a+b     | false
			amqp://u:p%40ss%3Aw%2Frd@host/%2Fprod             | u     | p@ss:w/rd| host           | 5672  | /prod   | false
			amqp://u:p@host/v%20host                          | u     | p        | host           | 5672  | v host  | false
			""")
	void whenUrlIsValidThenItsPartsAreDecoded(String value, String username, String password, String host, int port,
			String virtualHost, boolean tls) {
		AmqpUrl url = of(value);
		assertThat(url.username()).isEqualTo(username);
		assertThat(url.password()).isEqualTo(password);
		assertThat(url.nodes()).containsExactly(new HostAndPort(host, port));
		assertThat(url.virtualHost()).isEqualTo(virtualHost);
		assertThat(url.tls() != null).isEqualTo(tls);
		assertThat(url.warnings()).isEmpty();
		if (tls) {
			assertThat(url.tls().verifyPeer()).isTrue();
			assertThat(url.tls().caCertificates()).isNull();
		}
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			amqp://host/
			amqp://u:p@host:5672/
			amqp://u:p@host/?heartbeat=10
			""")
	void whenUrlEndsWithASlashThenTheDefaultVirtualHostIsUsedWithAWarning(String value) {
		AmqpUrl url = of(value);
		assertThat(url.virtualHost()).isEqualTo("/");
		assertThat(url.warnings()).singleElement()
			.asString()
			.startsWith("AMQP_URL ends with '/', which names the empty virtual host")
			.contains("attach uses the default virtual host '/'")
			.doesNotContain(":p@");
	}

	@Test
	void whenUrlListsHostsThenEachGetsTheDefaultPort() {
		AmqpUrl url = of("amqps://u:pw@h1,h2:5673,[::1]/vh");
		assertThat(url.nodes()).containsExactly(new HostAndPort("h1", 5671), new HostAndPort("h2", 5673),
				new HostAndPort("::1", 5671));
		assertThat(url.virtualHost()).isEqualTo("vh");
	}

	@Test
	void whenUrlListsUrlsThenTheirHostsMakeTheCluster() {
		AmqpUrl url = of("amqp://u:pw@h1/vh,amqp://h2:5673/vh,AMQP://h3/vh");
		assertThat(url.nodes()).containsExactly(new HostAndPort("h1", 5672), new HostAndPort("h2", 5673),
				new HostAndPort("h3", 5672));
		assertThat(url.username()).isEqualTo("u");
		assertThat(url.password()).isEqualTo("pw");
		assertThat(url.virtualHost()).isEqualTo("vh");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			amqp://u:PW@h1/vh,amqp://u:PW@h2:5673/vh
			amqp://u:PW@h1/vh,AMQP://u:PW@h2:5673/vh
			amqp://u:PW@h1/vh,amqp://h2:5673/vh
			amqp://u:P%57@h1/vh,amqp://u:PW@h2:5673/vh
			""")
	void whenLaterUrlsOfTheListRepeatTheCredentialsOrLeaveThemOutThenTheyAreTheCluster(String value) {
		AmqpUrl url = of(value.replace("PW", SECRET).replace("P%57", SECRET.replace("3", "%33")));
		assertThat(url.nodes()).containsExactly(new HostAndPort("h1", 5672), new HostAndPort("h2", 5673));
		assertThat(url.username()).isEqualTo("u");
		assertThat(url.password()).isEqualTo(SECRET);
		assertThat(url.virtualHost()).isEqualTo("vh");
		assertThat(url.source().redacted()).isEqualTo(value.replaceAll("P(W|%57)", "****").replace("AMQP", "amqp"));
	}

	@Test
	void whenUrlHasClientParametersThenTheyAreRead() {
		AmqpUrl url = of("amqp://host?heartbeat=10&connection_timeout=2500&channel_max=100");
		assertThat(url.heartbeat()).isEqualTo(Duration.ofSeconds(10));
		assertThat(url.connectionTimeout()).isEqualTo(Duration.ofMillis(2500));
		assertThat(url.channelMax()).isEqualTo(100);
		assertThat(url.externalAuth()).isFalse();
	}

	@Test
	void whenUrlHasNoParametersThenClientDefaultsAreLeftToTheProperties() {
		AmqpUrl url = of("amqp://host");
		assertThat(url.heartbeat()).isNull();
		assertThat(url.connectionTimeout()).isNull();
		assertThat(url.channelMax()).isNull();
	}

	@Test
	void whenAmqpsUrlNamesCertificateFilesThenTheyAreRead() throws IOException {
		Path ca = Files.writeString(this.directory.resolve("ca.pem"), "x");
		Path cert = Files.writeString(this.directory.resolve("client.pem"), "x");
		Path key = Files.writeString(this.directory.resolve("key.pem"), "x");
		AmqpUrl url = of("amqps://host?cacertfile=" + ca + "&certfile=" + cert + "&keyfile=" + key
				+ "&password=k3y&auth_mechanism=external");
		assertThat(url.tls().caCertificates()).isEqualTo(ca.toUri().toString());
		assertThat(url.tls().certificate()).isEqualTo(cert.toUri().toString());
		assertThat(url.tls().privateKey()).isEqualTo(key.toUri().toString());
		assertThat(url.tls().privateKeyPassword()).isEqualTo("k3y");
		assertThat(url.externalAuth()).isTrue();
		assertThat(url.username()).isNull();
	}

	@Test
	void whenTlsSettingsArePrintedThenTheKeyPasswordIsNot() throws IOException {
		Path cert = Files.writeString(this.directory.resolve("client.pem"), "x");
		Path key = Files.writeString(this.directory.resolve("key.pem"), "x");
		AmqpUrl url = of("amqps://host?certfile=" + cert + "&keyfile=" + key + "&password=" + SECRET);
		assertThat(url.tls().privateKeyPassword()).isEqualTo(SECRET);
		assertThat(url.tls().toString()).doesNotContain(SECRET).contains(key.toUri().toString());
		assertThat(url.toString()).doesNotContain(SECRET);
	}

	@Test
	void whenAmqpsUrlOptsOutOfVerificationThenItIsOffWithAWarning() {
		AmqpUrl url = of("amqps://u:" + SECRET + "@host?verify=verify_none");
		assertThat(url.tls().verifyPeer()).isFalse();
		assertThat(url.warnings()).singleElement()
			.asString()
			.startsWith("AMQP_URL has verify=verify_none: the broker's certificate and host name are not verified")
			.doesNotContain(SECRET);
	}

	@Test
	void whenAmqpsUrlAsksForVerificationThenItIsOn() {
		assertThat(of("amqps://host?verify=verify_peer").tls().verifyPeer()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			amqp://                                    | has no host
			amqp://:@/                                 | has no host
			amqp:///vhost                              | has no host
			amqp://user@                               | has no host
			amqp://user:pass@                          | has no host
			amqp://:10000                              | has an empty host
			amqp://u:PW@host/a/b                       | has several path segments
			amqp://u:PW@host//                         | has several path segments
			amqp://u:PW@host/v%2                       | has an invalid percent-encoding
			amqp://u@host                              | has a user name but no password
			amqp://u:PW@host#frag                      | has a '#' fragment
			amqp://u:PW@host?heartbeat=0               | has heartbeat=0, which the RabbitMQ client reads as waiting forever
			amqp://u:PW@host?heartbeat=ten             | has a heartbeat parameter that is not a whole number
			amqp://u:PW@host?connection_timeout=0      | has connection_timeout=0, which the RabbitMQ client reads as waiting forever
			amqp://u:PW@host?connection_timeout=-5     | has a connection_timeout parameter that is not a whole number
			amqp://u:PW@host?channel_max=70000         | has channel_max=70000, more than AMQP allows
			amqp://u:PW@host?heartbeats=10&foo=1       | has the unsupported parameters [heartbeats, foo]
			amqp://u:PW@host?server_name_indication=x  | has the unsupported parameter [server_name_indication]
			amqp://u:PW@host?verify=verify_none        | has the TLS parameters [verify] but the scheme amqp
			amqps://u:PW@host?verify=false             | has verify=false, which is neither verify_peer nor verify_none
			amqps://u:PW@host?cacertfile=/nonexistent/ca.pem | has cacertfile=/nonexistent/ca.pem, which is not a readable file
			amqps://u:PW@host?auth_mechanism=external  | asks for EXTERNAL authentication without a client certificate
			amqp://u:PW@host?auth_mechanism=amqplain   | has auth_mechanism=amqplain, which the Java client does not support
			amqp://u:PW@h1/vh,amqps://h2/vh            | mixes amqp and amqps
			amqp://u:PW@h1/vh,amqp://h2/other          | has another virtual host in URL 2 than in the first
			amqp://u:PW@h1/vh,amqp://h2                | has another virtual host in URL 2 than in the first
			amqp://u:PW@h1/vh,amqp://h2/vh?heartbeat=5 | has other parameters in URL 2 than in the first
			amqp://u:PW@h1/vh,amqp://u:PWx@h2/vh       | has other credentials in URL 2 than in the first
			amqp://u:PW@h1/vh,amqp://v:PW@h2/vh        | has other credentials in URL 2 than in the first
			amqp://u:PW@h1/vh,amqp://:PW@h2/vh         | has other credentials in URL 2 than in the first
			amqp://h1/vh,amqp://u:PW@h2/vh             | has other credentials in URL 2 than in the first
			amqp://u:PW@h1/vh,amqp://u:PW@h2/other     | has another virtual host in URL 2 than in the first
			amqp://u:PW@h1/vh,amqps://u:PW@h2/vh       | mixes amqp and amqps
			amqps://u:PW@h1/vh,amqp://h2/vh            | mixes amqp and amqps
			amqps://u:PW@h1/vh,amqp://u:PW@h2/vh       | mixes amqp and amqps
			""")
	void whenUrlIsInvalidThenTheErrorNamesTheVariableButNeverThePassword(String value, String problem) {
		String url = value.replace("PW", SECRET);
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> AmqpUrl.of(parse(url)))
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("AMQP_URL");
				assertThat(ex.getMessage()).startsWith("AMQP_URL (").contains(problem);
				assertThat(ex.getMessage() + ex.getAction() + ex.getRedactedUrl()).doesNotContain(SECRET)
					.doesNotContain("3cr3t");
			});
	}

	@Test
	void whenCertificateFileIsNotPemThenStartupFailsNamingTheVariable() throws IOException {
		Path ca = Files.writeString(this.directory.resolve("ca.pem"), "not a certificate");
		AmqpUrl url = of("amqps://u:" + SECRET + "@host?cacertfile=" + ca);
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> new AmqpUrlConnectionDetails(url))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("AMQP_URL (")
					.contains("cannot be read as PEM")
					.doesNotContain(SECRET);
			});
	}

	@Test
	void toStringShowsNoCredentials() {
		assertThat(of("amqps://u:" + SECRET + "@host/vh")).hasToString("AmqpUrl[amqps://[host:5671] vhost vh]");
	}

	private static AmqpUrl of(String value) {
		return AmqpUrl.of(parse(value));
	}

	// Core reads the URL first when attaching it, and refuses what it cannot split, as it would at startup.
	private static ResourceUrl parse(String value) {
		return ResourceUrl.of("AMQP_URL", value);
	}

}
