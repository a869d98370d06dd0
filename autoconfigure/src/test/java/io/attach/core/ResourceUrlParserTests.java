package io.attach.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResourceUrlParser}, at the edges of each part of a URL.
 *
 * @author attach
 */
class ResourceUrlParserTests {

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "1", "65535", "00080" })
	void whenPortIsWithinRangeThenItIsKept(String port) {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://db:" + port + "/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("db", Integer.parseInt(port)));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "0", "65536", "99999", "000001", "99999999999", "-1", "5432x" })
	void whenPortIsOutOfRangeOrNotANumberThenTheUrlIsRefused(String port) {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://app:canary@db:" + port + "/myapp"))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("has an invalid port (expected a number from 1 to 65535)");
				assertThat(ex.getMessage()).doesNotContain("canary");
			});
	}

	@Test
	void whenARawAtAndQuestionMarkInAPasswordLeaveADottedHostInTheQueryThenTheUrlIsRefused() {
		// Read by the grammar, the password "canary" would go to the host "a" (found by ResourceUrlPropertyTests).
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("REDIS_URL", "redis://canary@a?=Wv@db-7.example.com"))
			.withMessageContaining("has an '@' after the host")
			.withMessageNotContaining("canary");
		assertThat(ResourceUrl.of("DATABASE_URL", "postgres://app:pw@db.example.com?application_name=a@b").hosts())
			.containsExactly(new HostAndPort("db.example.com", null));
		assertThat(ResourceUrl.of("DATABASE_URL", "postgres://app:pw@db/shop?application_name=ops@example.com")
			.hosts()).containsExactly(new HostAndPort("db", null));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis://canary@a:?=Wv@db-7.example.com", "redis://canary@.a/?=Wv@db-7.example.com",
			"redis://canary@a/?=Wv@db-7.example.com", "redis://@canary/?=Wv@db-7.example.com" })
	void whenWhatFollowsARawAtInAPasswordPassesForAHostThenTheUrlIsRefused(String url) {
		// An empty port, a host starting with '.', or an empty path after a host of one label: the password would go
		// to the host "a" (found by ResourceUrlPropertyTests at 150,000 tries).
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> ResourceUrl.of("REDIS_URL", url))
			.withMessageNotContaining("canary")
			.withMessageNotContaining("Wv");
		assertThat(UrlRedactor.redact("REDIS_URL", url)).matches("redis://\\*{4}(:\\*{4})?@db-7.example.com");
	}

	@Test
	void whenIpv6HostHasNoPortThenThePortIsLeftToTheDefault() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@[::1]/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("::1", null));
		assertThat(url.path()).isEqualTo("myapp");
	}

	@Test
	void whenIpv6HostListHasNoPortsThenEveryHostIsKept() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://[::1],[fe80::2]:5433/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("::1", null), new HostAndPort("fe80::2", 5433));
	}

	@Test
	void whenIpv6BracketIsFollowedByAnythingButAColonThenTheUrlIsRefused() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://app:canary@[::1]5432/myapp"))
			.satisfies((ex) -> assertThat(ex.getProblem()).isEqualTo("has an IPv6 address without its closing ']'"));
	}

	@Test
	void whenAHostIsEmptyButItsPortIsGivenThenTheUrlIsRefused() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://app:canary@:5432/myapp"))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("has an empty host");
				assertThat(ex.getMessage()).doesNotContain("canary");
			});
	}

	@Test
	void whenAuthorityIsEmptyThenThereIsNoHostAndThePathIsKept() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres:///myapp?sslmode=require");
		assertThat(url.hosts()).isEmpty();
		assertThat(url.path()).isEqualTo("myapp");
		assertThat(url.parameter("sslmode")).isEqualTo("require");
		assertThat(url.opaque()).isFalse();
	}

	@Test
	void whenUrlIsOnlyAFragmentAfterTheSlashesThenItIsTheFragment() {
		ResourceUrl url = ResourceUrl.of("REDIS_URL", "redis-sentinel://#mymaster");
		assertThat(url.fragment()).isEqualTo("mymaster");
		assertThat(url.hosts()).isEmpty();
		assertThat(url.path()).isEmpty();
	}

	@Test
	void whenFragmentStartsWithAnAtSignThenItIsAnUnencodedHashInThePassword() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://app:canary#@db/myapp"))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("has an unencoded '#' in its user info");
				assertThat(ex.getMessage()).doesNotContain("canary");
			});
	}

	@Test
	void whenUserInfoIsEmptyThenAnAtSignInAQueryValueStillLeavesTheHostAlone() {
		ResourceUrl url = ResourceUrl.of("REDIS_URL", "redis://@cache:6379?clientName=a@b");
		assertThat(url.username()).isNull();
		assertThat(url.password()).isNull();
		assertThat(url.hosts()).containsExactly(new HostAndPort("cache", 6379));
		assertThat(url.parameter("clientName")).isEqualTo("a@b");
	}

	@Test
	void whenQueryParameterHasNoNameThenItsValueMayHoldAnAtSign() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@db/myapp?=a@b&sslmode=require");
		assertThat(url.parameters()).containsExactly(new ResourceUrl.Parameter("", "a@b"),
				new ResourceUrl.Parameter("sslmode", "require"));
		assertThat(url.hosts()).containsExactly(new HostAndPort("db", null));
	}

	@Test
	void whenQueryParameterNameStartsWithAnAtSignThenTheUrlIsRefused() {
		// "@x=1" is no value: the '@' may end a password holding a raw '?'.
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://app:canary@db?@x=1"))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).contains("unencoded '?' in the user info");
				assertThat(ex.getMessage()).doesNotContain("canary");
			});
	}

	// Each read by the grammar names another host than the one written, the credentials going there (found by
	// ResourceUrlPropertyTests): refused instead.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			authority twice      | postgres://app:canary@db.example.com:5432@32/shop         | an '@' followed by what looks like a host and port in its user info
			raw '@' then '?'     | postgres://app:can@a?=ary@db.example.com:5432/shop        | an '@' after the host, which means an unencoded '?' in the user info
			raw '@' then '?' path| mysql://app:can@a?x=ary@db.example.com/shop              | an '@' after the host, which means an unencoded '?' in the user info
			comma in the port    | postgres://app:canary@db.example.com:54,32/shop           | a host that is only digits
			bracket in a list    | smtp://apikey:canary@mail.example.com:587,]               | a '[' or ']' outside an IPv6 address
			bracket in a name    | postgres://app:canary@aws-0-[REGION].example.com:5432/db  | a '[' or ']' outside an IPv6 address
			""")
	void whenTheGrammarWouldReadAnotherHostThanTheOneWrittenThenTheUrlIsRefused(String description, String value,
			String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", value))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).contains(problem);
				assertThat(ex.getMessage()).doesNotContain("canary").doesNotContain("ary@");
			});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			STORAGE_URL | s3://123456789012/uploads?region=eu-west-1          | 123456789012
			SMTP_URL    | smtp://user@domain.com:12345678@smtp.example.com:587 | smtp.example.com
			DATABASE_URL| postgres://myadmin@server:2024secret@db.example.com/x | db.example.com
			""")
	void whenAUrlOnlyLooksLikeAMistakeThenItIsRead(String setting, String value, String host) {
		assertThat(ResourceUrl.of(setting, value).hosts()).extracting(HostAndPort::host).containsExactly(host);
	}

	@Test
	void whenAHostHasCharactersIdnaVersionsReadDifferentlyThenTheUrlIsRefused() {
		// Java's IDNA2003 maps 'ß' to "ss": fass.de, another domain than a browser's faß.de (xn--fa-hia.de).
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("SMTP_URL", "smtps://u:canary@faß.de"))
			.satisfies((ex) -> assertThat(ex.getProblem()).contains("'ß', 'ς' or a joiner"));
	}

	@Test
	void whenAPasswordParameterHoldsARawHashThenWhatFollowsItIsHidden() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgresql://app@db/shop?password=can#ary");
		assertThat(url.redacted()).isEqualTo("postgresql://app@db/shop?password=****#****");
	}

	@Test
	void whenAQueryValueHoldsAnAddressWithoutHostAndPortThenItStaysAValue() {
		ResourceUrl url = ResourceUrl.of("SMTP_URL", "smtp://u:pw@smtp.example.com/?_server_email=error@example.com");
		assertThat(url.hosts()).containsExactly(new HostAndPort("smtp.example.com", null));
		assertThat(url.parameter("_server_email")).isEqualTo("error@example.com");
	}

	@Test
	void whenAHostIsInUnicodeThenItIsReadInItsAsciiForm() {
		assertThat(ResourceUrl.of("SMTP_URL", "smtps://müller.example:465").hosts())
			.containsExactly(new HostAndPort("xn--mller-kva.example", 465));
	}

	@Test
	void whenAFragmentHoldsAPasswordParameterThenItIsNotShown() {
		// A '#' cut the query short: what follows is shown, but not a password in it.
		ResourceUrl url = ResourceUrl.of("REDIS_URL", "redis-sentinel://cache:26379/0#mymaster?password=canary");
		assertThat(url.redacted()).isEqualTo("redis-sentinel://cache:26379/0#mymaster?password=****");
	}

	@Test
	void whenQueryHasEmptyPairsThenTheyAreSkipped() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://db/myapp?&a=1&&b=2&");
		assertThat(url.parameters()).containsExactly(new ResourceUrl.Parameter("a", "1"),
				new ResourceUrl.Parameter("b", "2"));
	}

	@Test
	void whenQueryValueHasAnInvalidPercentEncodingThenTheUrlIsRefusedNamingTheParameter() {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://db/myapp?options=100%"))
			.satisfies((ex) -> assertThat(ex.getProblem())
				.isEqualTo("has an invalid percent-encoding in its value of query parameter 'options'"));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			truncated escape at the end  | postgres://app:canary%4@db/myapp | password
			lone percent sign            | postgres://app:canary%@db/myapp  | password
			escape in user name          | postgres://ap%p:canary@db/myapp  | user name
			escape in host               | postgres://app:canary@d%b/myapp  | host
			""")
	void whenPercentEncodingIsTruncatedThenTheUrlIsRefusedNamingThePart(String description, String value,
			String part) {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", value))
			.satisfies((ex) -> {
				assertThat(ex.getProblem()).isEqualTo("has an invalid percent-encoding in its " + part);
				assertThat(ex.getMessage() + ex.getRedactedUrl()).doesNotContain("canary");
			});
	}

	@Test
	void whenOpaqueUrlIsRedactedThenItIsShownAsWritten() {
		assertThat(ResourceUrl.of("DATABASE_URL", "h2:mem:test").redacted()).isEqualTo("h2:mem:test");
		assertThat(ResourceUrl.of("DATABASE_URL", "postgres:app:canary@db/x").redacted())
			.isEqualTo("postgres:****@db/x");
	}

	@Test
	void whenValueReadsAsAListThenRedactionGetsEveryUrlAsWritten() {
		assertThat(ResourceUrlParser.listedUrls(" amqp://u:p@h1/vh,AMQP://u:p@h2/vh,amqp://h3 "))
			.containsExactly("amqp://u:p@h1/vh", "AMQP://u:p@h2/vh", "amqp://h3");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "amqp://u:p@h1/vh", "amqp://u:p1@h1/vh,amqp://u:p2@h2/vh", "amqp://u:1,amqp://p@h1",
			"amqp://u:p@h1/vh,amqps://u:p@h2/vh", "postgres://db/x?next=a,https://y", "a,b://c", "not a url" })
	void whenValueDoesNotReadAsAListThenRedactionGetsItWhole(String value) {
		assertThat(ResourceUrlParser.listedUrls(value)).containsExactly(value);
	}

}
