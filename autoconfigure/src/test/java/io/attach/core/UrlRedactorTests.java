package io.attach.core;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link UrlRedactor}.
 *
 * @author attach
 */
class UrlRedactorTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:s3cr%40t@db:5432/myapp          | postgres://app:****@db:5432/myapp
			postgres://app:se#cret@db/myapp                | postgres://app:****@db/myapp
			postgres://app:se/cr@et@db/myapp               | postgres://app:****@db/myapp
			postgres://app@db/myapp                        | postgres://app@db/myapp
			postgres://db/myapp                            | postgres://db/myapp
			jdbc:mysql://db/x?user=a&password=secret&y=1   | jdbc:mysql://db/x?user=a&password=****&y=1
			jdbc:sqlserver://db;user=a;password=secret     | jdbc:sqlserver://db;user=a;password=****
			redis://:token@cache:6379/0                    | redis://:****@cache:6379/0
			redis://token@cache:6379/0                     | redis://****@cache:6379/0
			rediss://default:token@cache:6380              | rediss://default:****@cache:6380
			not a url                                      | not a url
			postgres:app:s3cret@db/x?next=http://y         | postgres:****@db/x?next=http://y
			jdbc:mysql://u:s3cret@h/db                     | jdbc:mysql://u:****@h/db
			""")
	void whenTextHoldsSecretsThenTheyAreMasked(String value, String redacted) {
		assertThat(UrlRedactor.redact(value)).isEqualTo(redacted);
		assertThat(UrlRedactor.hasSecrets(value)).isEqualTo(!value.equals(redacted));
	}

}
