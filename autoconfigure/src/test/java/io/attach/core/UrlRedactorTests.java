package io.attach.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link UrlRedactor}.
 *
 * @author attach
 */
class UrlRedactorTests {

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			DATABASE_URL | postgres://app:s3cr%40t@db:5432/myapp          | postgres://app:****@db:5432/myapp
			DATABASE_URL | postgres://app:se#cret@db/myapp                | postgres://app:****@db/myapp
			DATABASE_URL | postgres://app:se/cr@et@db/myapp               | postgres://app:****@db/myapp
			DATABASE_URL | postgres://app@db/myapp                        | postgres://app@db/myapp
			DATABASE_URL | postgres://db/myapp                            | postgres://db/myapp
			DATABASE_URL | jdbc:mysql://db/x?user=a&password=secret&y=1   | jdbc:mysql://db/x?user=a&password=****&y=1
			DATABASE_URL | jdbc:sqlserver://db;user=a;password=secret     | jdbc:sqlserver://db;user=a;password=****
			DATABASE_URL | jdbc:sqlserver://db;password=secret;user=a     | jdbc:sqlserver://db;password=****;user=a
			DATABASE_URL | postgres://app@db/x?password=se;cret           | postgres://app@db/x?password=****
			DATABASE_URL | postgres://app@db/x?password=se;c=t&ssl=true   | postgres://app@db/x?password=****&ssl=true
			DATABASE_URL | jdbc:sqlserver://db;password=se&c=t;user=a     | jdbc:sqlserver://db;password=****;user=a
			DATABASE_URL | jdbc:sqlserver://db;password={se;c=t};user=a   | jdbc:sqlserver://db;password=****;user=a
			SMTP_URL     | smtp://me%40example.com:pw@smtp.example.com    | smtp://me%40example.com:****@smtp.example.com
			SMTP_URL     | smtp://me@example.com:pw@smtp.example.com      | smtp://me@example.com:****@smtp.example.com
			REDIS_URL    | redis://:token@cache:6379/0                    | redis://:****@cache:6379/0
			REDIS_URL    | redis://token@cache:6379/0                     | redis://****@cache:6379/0
			REDIS_URL    | rediss://default:token@cache:6380              | rediss://default:****@cache:6380
			DATABASE_URL | not a url                                      | not a url
			DATABASE_URL | postgres:app:s3cret@db/x?next=http://y         | postgres:****@db/x?next=http://y
			DATABASE_URL | jdbc:mysql://u:s3cret@h/db                     | jdbc:mysql://u:****@h/db
			""")
	void whenTextHoldsSecretsThenTheyAreMasked(String setting, String value, String redacted) {
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted);
		assertThat(UrlRedactor.hasSecrets(setting, value)).isEqualTo(!value.equals(redacted));
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			DATABASE_URL | postgres://app:canary@db/x?application_name=a@b      | postgres://app:****@db/x?application_name=a@b
			DATABASE_URL | postgres://app:canary@db?application_name=a@b&x=c@d  | postgres://app:****@db?application_name=a@b&x=c@d
			REDIS_URL    | redis://:canary@cache:6379/0?clientName=a@b         | redis://:****@cache:6379/0?clientName=a@b
			REDIS_URL    | redis://canary@cache?clientName=a@b                 | redis://****@cache?clientName=a@b
			-            | postgres://canary@db/x?application_name=a@b          | postgres://****@db/x?application_name=a@b
			""")
	void whenQueryValueHoldsAnAtSignThenTheHostShownIsTheOneConnectedTo(String setting, String value,
			String redacted) {
		String name = setting.equals("-") ? null : setting;
		assertThat(UrlRedactor.redact(name, value)).isEqualTo(redacted);
		if (name != null) {
			assertThat(ResourceUrl.of(name, value).redacted()).isEqualTo(redacted);
		}
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			DATABASE_URL | postgres://app:can/ary@db/x?application_name=a@b     | postgres://app:****@b
			DATABASE_URL | postgres://app:can?ary@db?application_name=a@b       | postgres://app:****@b
			DATABASE_URL | postgres://app:canary@db/x@y                        | postgres://app:****@y
			DATABASE_URL | postgres://app:canary@db/x#a@b                       | postgres://app:****@b
			DATABASE_URL | postgres://app:can@a#ry@b                            | postgres://app:****@b
			DATABASE_URL | postgres://app:canary@db?a@b=c                       | postgres://app:****@b=c
			REDIS_URL    | redis://can?ary=x@cache:6379                         | redis://****@cache:6379
			REDIS_URL    | redis://can@a?ry=x@cache.example.com                 | redis://****@cache.example.com
			REDIS_URL    | redis://can@a,.b/?ry=x@cache.example.com             | redis://****@cache.example.com
			REDIS_URL    | redis://can@a:0/?ry=x@cache.example.com              | redis://****:****@cache.example.com
			REDIS_URL    | redis://can@a,1/?ry=x@cache.example.com              | redis://****@cache.example.com
			REDIS_URL    | redis://can@[x/?ry=x@cache.example.com               | redis://****@cache.example.com
			REDIS_URL    | redis://can@%2Ea/?ry=x@cache.example.com             | redis://****@cache.example.com
			DATABASE_URL | postgres://can@%2Ea/?ry=x@cache.example.com          | postgres://****@cache.example.com
			""")
	void whenUrlDoesNotParseThenEverythingUpToTheLastAtSignIsHidden(String setting, String value, String redacted) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> ResourceUrl.of(setting, value));
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted).doesNotContain("canary").doesNotContain("ary");
	}

	@Test
	void whenAPasswordParameterHoldsARawAmpersandAndHashThenTheParsedFormHidesWhatFollowsToo() {
		// "ab&cd#ef" is the password: the parser reads a parameter "cd" without a value and the fragment "ef".
		assertThat(ResourceUrl.of("DATABASE_URL", "postgres://app@db/x?password=ab&cd#ef").redacted())
			.isEqualTo("postgres://app@db/x?password=****#****");
	}

	@Test
	void whenAUserNameHoldsAnAtSignThenTheParsedFormShowsIt() {
		assertThat(ResourceUrl.of("SMTP_URL", "smtp://me%40example.com:pw@smtp.example.com:587").redacted())
			.isEqualTo("smtp://me%40example.com:****@smtp.example.com:587");
	}

	@Test
	void whenAPasswordParameterHoldsARawHashThenWhatFollowsItIsHiddenToo() {
		assertThat(UrlRedactor.redact("DATABASE_URL", "postgres://app@db/x?password=can#ary&sslmode=require"))
			.isEqualTo("postgres://app@db/x?password=****&sslmode=require");
	}

	// Found by ResourceUrlPropertyTests: a token given twice (Postmark's) with a typo or pasted twice in one of its
	// places; a short name a password happens to hold is still shown.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			smtp://3f2a9c71-canary:3f2a9c71-canarx@smtp.postmarkapp.com:587           | smtp://****:****@smtp.postmarkapp.com:587
			smtp://3f2a9c71-canary:3f2a9c71-canary3f2a9c71-canary@smtp.example.com:587 | smtp://****:****@smtp.example.com:587
			smtp://app:happy-canary@smtp.example.com:587                             | smtp://app:****@smtp.example.com:587
			""")
	void whenTheUserNameIsLikeThePasswordThenItIsHiddenToo(String value, String redacted) {
		assertThat(UrlRedactor.redact("SMTP_URL", value)).isEqualTo(redacted);
	}

	// At each edge of the rule: six characters, two edits (and a length two apart), a shared stretch of eight, or of
	// the shorter's length less two.
	@ParameterizedTest(name = "{0} ~ {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			app          | app                    | true
			abcde        | abcdeXY                | false
			abcdef       | xxabcdefxx             | true
			abcdefgh     | abXdeYgh               | true
			abcdefgh     | aXcdYfZh               | false
			abcdefgh     | aXbcdeYfgh             | true
			abcdefgh     | aXbcdYeZfgh            | false
			AAAAAAAAAAAA12345678 | 12345678BBBBBBBBBBBB | true
			AAAAAAAAAAAAA1234567 | 1234567BBBBBBBBBBBBB | false
			abcdeXY      | ZWabcde                | true
			abcdXYZ      | QRSabcd                | false
			""")
	void whenAUserNameIsComparedWithAPasswordThenOnlyALikeOneCounts(String username, String password,
			boolean alike) {
		assertThat(UrlRedactor.alike(username, password)).isEqualTo(alike);
		assertThat(UrlRedactor.alike(password, username)).isEqualTo(alike);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			REDIS_URL                    | redis+ssl://canary@host:6379         | redis+ssl://****@host:6379
			CACHE_URL                    | tcp://canary@host:6379               | tcp://****@host:6379
			attach.resources.cache.url   | redis+ssl://canary@host:6379         | redis+ssl://****@host:6379
			SMTP_URL                     | submission://canary@smtp.example.com | submission://****@smtp.example.com
			DATABASE_URL                 | pg://app@db/myapp                    | pg://app@db/myapp
			""")
	void whenSchemeIsUnknownThenTheSettingDecidesWhatALoneTokenIs(String setting, String value, String redacted) {
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted);
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			spring.data.redis.url         | redis://canary@host:6379         | redis://****@host:6379
			attach.resources.reports.url  | mariadb://canary@reports/db      | mariadb://****@reports/db
			attach.resources.reports.url  | mariadb://canary:pw@reports/db   | mariadb://****:****@reports/db
			-                             | postgres://canary@db/myapp       | postgres://****@db/myapp
			-                             | https://canary:x@api.example.com | https://****:****@api.example.com
			-                             | postgres://:pw@db/myapp          | postgres://:****@db/myapp
			""")
	void whenSettingIsUnknownThenEveryUserInfoTokenIsMasked(String setting, String value, String redacted) {
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted);
		if (setting == null) {
			assertThat(UrlRedactor.redact(value)).isEqualTo(redacted);
			assertThat(UrlRedactor.hasSecrets(value)).isTrue();
		}
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			SMTP_URL     | smtp://canary:canary@smtp.postmarkapp.com:587     | smtp://****:****@smtp.postmarkapp.com:587
			SMTP_URL     | smtp://canary%2Bx:canary+x@smtp.postmarkapp.com   | smtp://****:****@smtp.postmarkapp.com
			DATABASE_URL | postgres://canary:canary@db/myapp                 | postgres://****:****@db/myapp
			""")
	void whenUserNameEqualsThePasswordThenItIsMaskedToo(String setting, String value, String redacted) {
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted);
	}

	@Test
	void whenDecodedUserInfoIsShownThenTheSettingDecidesToo() {
		assertThat(UrlRedactor.userInfo("DATABASE_URL", "app", "canary")).isEqualTo("app:****@");
		assertThat(UrlRedactor.userInfo("DATABASE_URL", "app", null)).isEqualTo("app@");
		assertThat(UrlRedactor.userInfo("REDIS_URL", "canary", null)).isEqualTo("****@");
		assertThat(UrlRedactor.userInfo("SMTP_URL", "canary", "canary")).isEqualTo("****:****@");
		assertThat(UrlRedactor.userInfo("attach.resources.reports.url", "canary", "pw")).isEqualTo("****:****@");
		assertThat(UrlRedactor.userInfo("DATABASE_URL", null, null)).isEmpty();
	}

	@Test
	void whenTextHoldsNoCredentialsThenItHasNoSecrets() {
		assertThat(UrlRedactor.hasSecrets("postgres://db:5432/myapp?sslmode=require")).isFalse();
		assertThat(UrlRedactor.hasSecrets("postgres://db/myapp?password=x")).isTrue();
	}

	@Test
	void whenTextStartsWithAColonThenEverythingUpToTheLastAtSignIsHidden() {
		assertThat(UrlRedactor.redact(":canary@db:5432")).isEqualTo(":****@db:5432");
	}

	@Test
	void whenFragmentFollowsTheHostAndHoldsAnAtSignThenEverythingUpToTheLastAtSignIsHidden() {
		assertThat(UrlRedactor.redact("DATABASE_URL", "postgres://app:canary@db#a@b"))
			.isEqualTo("postgres://app:****@b");
	}

	@Test
	void whenUserInfoIsEmptyThenTheHostShownIsStillTheOneConnectedTo() {
		assertThat(UrlRedactor.redact("REDIS_URL", "redis://@cache:6379?clientName=a@b"))
			.endsWith("@cache:6379?clientName=a@b");
	}

	@Test
	void whenUserInfoHasAnInvalidPercentEncodingThenAKnownKindStillShowsItsUserName() {
		assertThat(UrlRedactor.redact("DATABASE_URL", "postgres://app%zz:canary%zz@db/myapp"))
			.isEqualTo("postgres://app%zz:****@db/myapp");
		assertThat(UrlRedactor.redact("DATABASE_URL", "postgres://canary%zz:canary%zz@db/myapp"))
			.isEqualTo("postgres://****:****@db/myapp");
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			AMQP_URL     | amqp://app:canary%2C1@h1/vh,amqp://app:canary%2C1@h2:5673/vh | amqp://app:****@h1/vh,amqp://app:****@h2:5673/vh
			AMQP_URL     | amqps://app:canary@h1/vh,amqps://app:canary@h2/vh,amqps://h3/vh | amqps://app:****@h1/vh,amqps://app:****@h2/vh,amqps://h3/vh
			AMQP_URL     | amqp://app:canary@h1/vh?password=canary,amqp://app:canary@h2/vh?password=canary | amqp://app:****@h1/vh?password=****,amqp://app:****@h2/vh?password=****
			DATABASE_URL | postgres://app:canary@h1/db,postgres://app:canary@h2/db   | postgres://app:****@h1/db,postgres://app:****@h2/db
			REDIS_URL    | redis://:canary@h1:6379,redis://:canary@h2:6379           | redis://:****@h1:6379,redis://:****@h2:6379
			REDIS_URL    | redis://canary@h1:6379,redis://canary@h2:6379             | redis://****@h1:6379,redis://****@h2:6379
			-            | amqp://app:canary@h1/vh,amqp://app:canary@h2/vh           | amqp://****:****@h1/vh,amqp://****:****@h2/vh
			""")
	void whenValueListsUrlsThenThePasswordOfEveryUrlIsMasked(String setting, String value, String redacted) {
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted)
			.doesNotContain("canary")
			.doesNotContain("%2C");
		assertThat(UrlRedactor.hasSecrets(setting, value)).isTrue();
		if (setting != null) {
			assertThat(ResourceUrl.of(setting, value).redacted()).isEqualTo(redacted);
		}
	}

	// Different credentials are refused: the list is not read as one, and everything up to the last '@' is hidden.
	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|', textBlock = """
			AMQP_URL     | amqp://app:canary-1@h1/vh,amqp://app:canary-2@h2/vh   | amqp://app:****@h2/vh
			AMQP_URL     | amqp://h1/vh,amqp://app:canary-2@h2/vh                | amqp://****:****@h2/vh
			DATABASE_URL | postgres://app:canary-1@h1/db,postgres://canary-2@h2/db | postgres://app:****@h2/db
			""")
	void whenUrlsOfAListHaveOtherCredentialsThenNoPasswordIsShown(String setting, String value, String redacted) {
		assertThat(UrlRedactor.redact(setting, value)).isEqualTo(redacted).doesNotContain("canary");
	}

}
