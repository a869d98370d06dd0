package io.attach.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

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

}
