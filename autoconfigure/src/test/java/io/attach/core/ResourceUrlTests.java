package io.attach.core;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResourceUrl}.
 *
 * @author attach
 */
class ResourceUrlTests {

	@Test
	void whenUrlIsHerokuStyleThenEveryPartIsSplit() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL",
				"postgres://app:s3cr%40t@db.internal:5432/myapp?sslmode=require");
		assertThat(url.scheme()).isEqualTo("postgres");
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.password()).isEqualTo("s3cr@t");
		assertThat(url.hosts()).containsExactly(new HostAndPort("db.internal", 5432));
		assertThat(url.path()).isEqualTo("myapp");
		assertThat(url.parameter("sslmode")).isEqualTo("require");
		assertThat(url.opaque()).isFalse();
	}

	@ParameterizedTest(name = "{0} decodes to {1}")
	@CsvSource(delimiter = '|', textBlock = """
			s3cr%40t       | s3cr@t
			p%23ss         | p#ss
			a%2Fb          | a/b
			a%3Ab          | a:b
			a:b            | a:b
			100%25         | 100%
			pl+us          | pl+us
			%C3%A9t%C3%A9  | été
			""")
	void whenPasswordIsPercentEncodedThenItIsDecodedExactlyOnce(String encoded, String decoded) {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:" + encoded + "@db/myapp");
		assertThat(url.password()).isEqualTo(decoded);
	}

	@Test
	void whenUserNameHasRawAtSignThenLastAtSignEndsUserInfo() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://me@example.com:pw@db:5432/myapp");
		assertThat(url.username()).isEqualTo("me@example.com");
		assertThat(url.password()).isEqualTo("pw");
		assertThat(url.hosts()).containsExactly(new HostAndPort("db", 5432));
	}

	@Test
	void whenUserNameIsPercentEncodedThenItIsDecoded() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://me%40example.com:pw@db/myapp");
		assertThat(url.username()).isEqualTo("me@example.com");
	}

	@Test
	void whenHostHasUnderscoreThenItIsKept() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@my_db_host:5432/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("my_db_host", 5432));
		assertThat(url.username()).isEqualTo("app");
	}

	@Test
	void whenHostIsIpv6ThenBracketsAreRemoved() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@[::1]:5432/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("::1", 5432));
		assertThat(url.hosts().get(0)).hasToString("[::1]:5432");
	}

	@Test
	void whenHostListIsGivenThenEveryHostIsKept() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@h1:5432,h2:5433,h3/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("h1", 5432), new HostAndPort("h2", 5433),
				new HostAndPort("h3", null));
	}

	@Test
	void whenPortIsEmptyThenDefaultPortIsUsed() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@db:/myapp");
		assertThat(url.hosts().get(0).port()).isNull();
		assertThat(url.hosts().get(0).portOr(5432)).isEqualTo(5432);
	}

	@Test
	void whenHostIsPercentEncodedSocketPathThenItIsDecoded() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app@%2Fvar%2Frun%2Fpostgresql/myapp");
		assertThat(url.hosts()).containsExactly(new HostAndPort("/var/run/postgresql", null));
		assertThat(url.hosts().get(0).isSocketPath()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres, no path     | DATABASE_URL | postgres://app:canary@db.example.com?application_name=a@b         | db.example.com | application_name | a@b
			postgres, path        | DATABASE_URL | postgres://app:canary@db.example.com/myapp?application_name=a@b   | db.example.com | application_name | a@b
			postgres, two values  | DATABASE_URL | postgres://app:canary@db:5432?user=me@example.com&sslmode=require | db             | user             | me@example.com
			redis, no path        | REDIS_URL    | redis://:canary@cache.example.com?clientName=a@b                  | cache.example.com | clientName    | a@b
			redis, lone token     | REDIS_URL    | redis://canary@cache.example.com:6380/0?clientName=a@b            | cache.example.com | clientName    | a@b
			sentinel, fragment    | REDIS_URL    | redis-sentinel://:canary@h1:26379/0?clientName=a@b#mymaster       | h1             | clientName       | a@b
			smtp, no path         | SMTP_URL     | smtp://me%40example.com:canary@smtp.example.com:587?from=a@b      | smtp.example.com | from           | a@b
			""")
	void whenQueryValueHasAtSignThenUserInfoEndsWithTheAuthority(String description, String setting, String value,
			String host, String name, String parameter) {
		ResourceUrl url = ResourceUrl.of(setting, value);
		assertThat(url.hosts()).extracting(HostAndPort::host).containsExactly(host);
		assertThat(Arrays.asList(url.username(), url.password())).contains("canary");
		assertThat(url.parameter(name)).isEqualTo(parameter);
		assertThat(url.redacted()).doesNotContain("canary").contains("@" + host).contains(name + "=" + parameter);
	}

	@Test
	void whenQueryValueHasAtSignThenTheUserNameIsNotTheRestOfTheUrl() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:canary@db.example.com?application_name=a@b");
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.path()).isEmpty();
		assertThat(url.redacted()).isEqualTo("postgres://app:****@db.example.com?application_name=a@b");
	}

	@Test
	void whenPasswordHasRawQuestionMarkThenTheUrlIsRefusedWithoutEchoingIt() {
		// RFC 3986 ends the authority at '?'; before, "a?b:c" was read as the password.
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", "postgres://app:canary?b:secret@db/myapp"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("unencoded '?' in the user info");
				assertThat(ex.getMessage() + ex.getRedactedUrl() + ex.getAction()).doesNotContain("canary")
					.doesNotContain("secret");
				assertThat(ex.getAction()).contains("'?' as %3F");
			});
	}

	@Test
	void whenUrlIsOpaqueThenSchemeSpecificPartIsThePath() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "h2:mem:test");
		assertThat(url.opaque()).isTrue();
		assertThat(url.scheme()).isEqualTo("h2");
		assertThat(url.path()).isEqualTo("mem:test");
	}

	@Test
	void whenFragmentHasNoAtSignThenItIsTheFragment() {
		ResourceUrl url = ResourceUrl.of("REDIS_URL", "redis-sentinel://:pw@h1:26379,h2:26379/0#mymaster");
		assertThat(url.fragment()).isEqualTo("mymaster");
		assertThat(url.password()).isEqualTo("pw");
		assertThat(url.username()).isNull();
	}

	@Test
	void whenUrlHasSurroundingWhitespaceThenItIsStripped() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "  postgres://app:pw@db/myapp\n");
		assertThat(url.path()).isEqualTo("myapp");
	}

	@Test
	void whenQueryHasSeveralParametersThenOrderAndRawValuesAreKept() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://db/myapp?a=1&options=-c%20x%3Dy&b");
		assertThat(url.parameters()).containsExactly(new ResourceUrl.Parameter("a", "1"),
				new ResourceUrl.Parameter("options", "-c%20x%3Dy"), new ResourceUrl.Parameter("b", ""));
		assertThat(url.parameter("options")).isEqualTo("-c x=y");
	}

	@Test
	void redactedFormHidesPasswordButKeepsEverythingElse() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL",
				"postgres://app:s3cr%40t@db.internal:5432/myapp?sslmode=require&sslpassword=x");
		assertThat(url.redacted())
			.isEqualTo("postgres://app:****@db.internal:5432/myapp?sslmode=require&sslpassword=****");
		assertThat(url).hasToString(url.redacted());
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			missing slashes           | app:canary@db:5432/myapp
			one slash                 | postgres:/app:canary@db/myapp
			no slashes                | postgres//app:canary@db
			oracle thin               | jdbc:oracle:thin:scott/canary@db:1521/x
			""")
	void whenUrlHasNoAuthorityThenErrorsAndDisplayStillHideThePassword(String description, String value) {
		assertThat(UrlRedactor.redact(value)).doesNotContain("canary");
		try {
			ResourceUrl url = ResourceUrl.of("DATABASE_URL", value);
			assertThat(url.redacted()).doesNotContain("canary");
		}
		catch (InvalidResourceUrlException ex) {
			assertThat(ex.getMessage()).doesNotContain("canary");
		}
	}

	@Test
	void whenQueryValueHasAtSignButUrlHasNoUserInfoThenItIsRefusedAsAPossibleLoneToken() {
		// "canary?x=secret@cache" may be a token with a raw '?', whose first part must not become the host.
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("REDIS_URL", "redis://canary?x=secret@cache:6379"))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("REDIS_URL").contains("unencoded '?' in the user info");
				assertThat(ex.getMessage() + ex.getRedactedUrl() + ex.getAction()).doesNotContain("canary")
					.doesNotContain("secret");
			});
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			REDIS_URL                    | redis+ssl://canary@host:6379                    | redis+ssl://****@host:6379
			REDIS_URL                    | redis://canary@host:6379                        | redis://****@host:6379
			SMTP_URL                     | smtp://canary:canary@smtp.postmarkapp.com:587   | smtp://****:****@smtp.postmarkapp.com:587
			attach.resources.reports.url | mariadb://canary@reports/db                     | mariadb://****@reports/db
			attach.resources.reports.url | mariadb://canary:pw@reports/db                  | mariadb://****:****@reports/db
			DATABASE_URL                 | postgres://app:canary@db/myapp                  | postgres://app:****@db/myapp
			""")
	void redactedFormMasksUserInfoByTheSettingNotTheScheme(String setting, String value, String redacted) {
		assertThat(ResourceUrl.of(setting, value).redacted()).isEqualTo(redacted);
	}

	@Test
	void redactedFormHidesALoneTokenWhereTheKindReadsItAsAPassword() {
		assertThat(ResourceUrl.of("REDIS_URL", "redis://s3cret@cache:6379/0").redacted())
			.isEqualTo("redis://****@cache:6379/0");
		assertThat(ResourceUrl.of("DATABASE_URL", "postgres://app@db/myapp").redacted())
			.isEqualTo("postgres://app@db/myapp");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			no scheme                 | db.internal:5432/myapp                        | has no scheme
			empty                     | ''                                            | has no scheme
			non-numeric port          | postgres://app:canary-secret@db:abc/myapp      | has an invalid port
			port out of range         | postgres://app:canary-secret@db:70000/myapp    | has an invalid port
			unencoded hash            | postgres://app:canary#secret@db/myapp          | has an unencoded '#'
			empty host in list        | postgres://app:canary-secret@h1,,h2/myapp      | has an empty host
			empty host with port      | postgres://app:canary-secret@:5432/myapp       | has an empty host
			bad percent in password   | postgres://app:canary%zzsecret@db/myapp        | invalid percent-encoding
			unclosed IPv6             | postgres://app:canary-secret@[::1:5432/myapp   | IPv6
			raw slash in password     | postgres://app:canary/secret@db/myapp          | unencoded '/' in the user info
			raw slash after digits    | postgres://app:1234/canary@db:5432/myapp       | unencoded '/' in the user info
			raw slash, then query     | postgres://app:1234/canary?x@db/myapp          | unencoded '/' in the user info
			unbracketed IPv6          | postgres://app:canary@::1/myapp                 | IPv6 address without brackets
			raw ? in password         | postgres://app:canary?secret@db                 | unencoded '?' in the user info
			raw ? in password, path   | postgres://app:canary?secret@db:5432/myapp      | unencoded '?' in the user info
			raw ? then '=' in password| postgres://app:?x=canary-secret@db              | unencoded '?' in the user info
			digits, raw ? and '='     | postgres://app:1234?x=canary-secret@db/myapp    | unencoded '?' in the user info
			raw / then '=' in password| postgres://app:1234/canary?x=secret@db/myapp    | unencoded '/' in the user info
			raw ? after query name    | postgres://app:canary@db?canary-secret@x        | unencoded '?' in the user info
			at sign in query name     | postgres://app:canary@db/myapp?x@h              | unencoded '/' in the user info
			raw # in password, query  | postgres://app:canary#x=secret@db?a=b@c         | has an unencoded '#'
			""")
	void whenUrlIsMalformedThenErrorNamesSettingAndHidesPassword(String description, String value, String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("DATABASE_URL", value))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("DATABASE_URL").contains(problem);
				assertThat(ex.getSetting()).isEqualTo("DATABASE_URL");
				for (String text : List.of(ex.getMessage(), ex.getRedactedUrl(), ex.getAction())) {
					assertThat(text).doesNotContain("canary").doesNotContain("secret");
				}
			});
	}

	@Test
	void whenValueListsUrlsOfOneSchemeThenTheFirstGivesThePartsAndEveryUrlIsKept() {
		String value = "amqp://app:pw%2Cone@h1:5673/vh?heartbeat=5,AMQP://app:pw%2Cone@h2/vh,amqp://h3/vh";
		ResourceUrl url = ResourceUrl.of("AMQP_URL", value);
		assertThat(url.value()).isEqualTo(value);
		assertThat(url.scheme()).isEqualTo("amqp");
		assertThat(url.username()).isEqualTo("app");
		assertThat(url.password()).isEqualTo("pw,one");
		assertThat(url.hosts()).containsExactly(new HostAndPort("h1", 5673));
		assertThat(url.path()).isEqualTo("vh");
		assertThat(url.parameter("heartbeat")).isEqualTo("5");
		assertThat(url.isList()).isTrue();
		assertThat(url.urls()).extracting(ResourceUrl::value)
			.containsExactly("amqp://app:pw%2Cone@h1:5673/vh?heartbeat=5", "AMQP://app:pw%2Cone@h2/vh",
					"amqp://h3/vh");
		assertThat(url.urls().get(1).hosts()).containsExactly(new HostAndPort("h2", null));
		assertThat(url.urls().get(2).password()).isNull();
		assertThat(url.redacted()).isEqualTo("amqp://app:****@h1:5673/vh?heartbeat=5,amqp://app:****@h2/vh,amqp://h3/vh");
		assertThat(url.toString() + url.urls()).doesNotContain("pw").doesNotContain("%2C");
	}

	@Test
	void whenValueIsOneUrlThenItIsItsOnlyUrl() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@h1,h2:5433/db");
		assertThat(url.isList()).isFalse();
		assertThat(url.urls()).containsExactly(url);
	}

	@Test
	void whenQueryValueHoldsAUrlOfAnotherSchemeThenTheValueIsStillOneUrl() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app:pw@db/x?next=a,https://y");
		assertThat(url.isList()).isFalse();
		assertThat(url.hosts()).containsExactly(new HostAndPort("db", null));
		assertThat(url.parameter("next")).isEqualTo("a,https://y");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			other password            | amqp://u:canary-one@h1/vh,amqp://u:canary-two@h2/vh      | has other credentials in URL 2 than in the first
			other user                | amqp://u:canary-one@h1/vh,amqp://v:canary-one@h2/vh      | has other credentials in URL 2 than in the first
			password only later       | amqp://u:canary-one@h1/vh,amqp://:canary-two@h2/vh       | has other credentials in URL 2 than in the first
			credentials only later    | amqp://h1/vh,amqp://u:canary-two@h2/vh                   | has other credentials in URL 2 than in the first
			third differs             | amqp://u:canary-one@h1,amqp://h2,amqp://u:canary-two@h3  | has other credentials in URL 3 than in the first
			part with a bad port      | amqp://u:canary-one@h1/vh,amqp://u:canary-one@h2:99999/vh | has an invalid port (expected a number from 1 to 65535) in URL 2 of the list
			other scheme, credentials | amqp://u:canary-one@h1/vh,amqps://u:canary-one@h2/vh     | mixes amqp and amqps URLs in one list
			""")
	void whenListIsRefusedThenNoPasswordIsShown(String description, String value, String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("AMQP_URL", value))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("AMQP_URL (").contains(problem);
				assertThat(ex.getMessage() + ex.getRedactedUrl() + ex.getAction()).doesNotContain("canary");
			});
	}

	// A raw ",amqp://" inside a password reads like a list; no fragment of the password may come out as a host,
	// port or user name.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			digits, then a token      | amqp://u:1,amqp://canary@h1/vh          | '1,amqp://canary'
			letters, then a token     | amqp://u:x,amqp://canary@h1/vh          | 'x,amqp://canary'
			raw '@' before the comma  | amqp://u:a@canary,amqp://canary2@h1/vh  | 'a@canary,amqp://canary2'
			raw '/' after the list    | amqp://u:x,amqp://canary/y@h1/vh        | 'x,amqp://canary/y'
			""")
	void whenPasswordHoldsACommaAndTheSchemeThenNoPartOfItIsShown(String description, String value,
			String password) {
		assertThatExceptionOfType(InvalidResourceUrlException.class)
			.isThrownBy(() -> ResourceUrl.of("AMQP_URL", value))
			.satisfies((ex) -> {
				assertThat(ex.getRedactedUrl()).isEqualTo("amqp://u:****@h1/vh");
				assertThat(ex.getMessage() + ex.getAction()).doesNotContain("canary").doesNotContain(password);
			});
		assertThat(UrlRedactor.redact("AMQP_URL", value)).isEqualTo("amqp://u:****@h1/vh");
	}


	@Test
	void ignoredParametersAreNamedOnceWithoutTheirValues() {
		ResourceUrl url = ResourceUrl.of("SMTP_URL", "smtp://u:canary@mail?x=canary&tls=1&x=2&y");
		assertThat(url.parametersOtherThan(java.util.Set.of("tls"))).containsExactly("x", "y");
		assertThat(url.ignoredParametersWarning(java.util.Set.of("tls"))).hasValueSatisfying((warning) -> assertThat(
				warning)
			.startsWith("SMTP_URL has the parameter(s) [x, y], which attach does not read: they are ignored. It reads"
					+ " [tls]")
			.doesNotContain("canary"));
		assertThat(url.ignoredParametersWarning(java.util.Set.of("tls", "x", "y"))).isEmpty();
	}

	@Test
	void whenANameWithoutValueFollowsAPasswordThenItMayBePartOfIt() {
		ResourceUrl url = ResourceUrl.of("DATABASE_URL", "postgres://app@db/x?password=ab&cd&sslmode=require&flag");
		assertThat(url.mayBePassword("cd")).isTrue();
		assertThat(url.mayBePassword("flag")).isFalse();
		assertThat(url.mayBePassword("sslmode")).isFalse();
		assertThat(url.parametersOtherThan(java.util.Set.of())).containsExactly("password", "sslmode", "flag");
	}

}
