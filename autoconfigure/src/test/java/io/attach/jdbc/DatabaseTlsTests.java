package io.attach.jdbc;

import io.attach.core.ResourceUrl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DatabaseTls}'s warnings about connections that may be unencrypted or unverified; its translations are tested
 * through {@link DatabaseUrl}.
 *
 * @author attach
 */
class DatabaseTlsTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:canary@db.example.com:5432/app           | db.example.com | ?sslmode=verify-full&sslrootcert=/path/to/ca.pem (or sslmode=require)
			pgsql://app:canary@10.0.0.5/app?application_name=web    | 10.0.0.5       | sslmode=disable to say that clear text is meant
			postgres://app:canary@127.0.0.1:5432,db2:5433/app       | db2            | sslmode=verify-full
			mysql://app:canary@db/shop                              | db             | ?ssl-mode=VERIFY_IDENTITY (or REQUIRED)
			mariadb://app:canary@db/shop?connectTimeout=1000        | db             | ssl-mode=DISABLED to say that clear text is meant
			""")
	void whenANetworkHostIsReachedWithoutAskingForTlsThenAWarningSaysSo(String value, String host, String fix) {
		assertThat(DatabaseTls.unencryptedWarning(ResourceUrl.of("DATABASE_URL", value)))
			.hasValueSatisfying((warning) -> assertThat(warning)
				.startsWith("DATABASE_URL reaches " + host + " without asking for TLS, so the connection and its"
						+ " password may cross the network unencrypted.")
				.contains(fix)
				.doesNotContain("canary"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "postgres://app:pw@127.0.0.1:5432/app", "postgres://app:pw@localhost/app",
			"postgres://app:pw@[::1]:5432/app", "postgres://app:pw@db/app?sslmode=disable",
			"postgres://app:pw@db/app?sslmode=require", "postgres://app:pw@db/app?ssl=true",
			"mysql://app:pw@db/shop?ssl-mode=REQUIRED", "mysql://app:pw@db/shop?ssl_ca=/ca.pem",
			"mariadb://app:pw@db/shop?sslMode=trust", "mysql://app:pw@db/shop?useSSL=true", "h2:mem:test",
			"jdbc:postgresql://db/app" })
	void whenTheUrlAsksForTlsOrStaysOnThisMachineThenThereIsNoWarning(String value) {
		assertThat(DatabaseTls.unencryptedWarning(ResourceUrl.of("DATABASE_URL", value))).isEmpty();
	}


	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			postgres://app:canary@db/app?sslmode=require        | (require)  | sslmode=verify-full and sslrootcert
			postgres://app:canary@db/app?sslmode=prefer         | (prefer)   | sslmode=verify-full
			mysql://app:canary@db/shop?ssl-mode=REQUIRED        | (REQUIRED) | ssl-mode=VERIFY_IDENTITY
			mariadb://app:canary@db/shop?sslMode=trust          | (trust)    | ssl-mode=VERIFY_IDENTITY
			""")
	void whenTlsDoesNotVerifyTheServerThenAWarningSaysSo(String value, String mode, String fix) {
		assertThat(DatabaseTls.unverifiedWarning(ResourceUrl.of("DATABASE_URL", value)))
			.hasValueSatisfying((warning) -> assertThat(warning)
				.startsWith("DATABASE_URL asks for TLS without verifying the server's certificate " + mode)
				.contains(fix)
				.doesNotContain("canary"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "postgres://app:pw@db/app?sslmode=verify-full", "postgres://app:pw@db/app?ssl=true",
			"postgres://app:pw@db/app?sslmode=require&sslrootcert=/ca.pem", "postgres://app:pw@db/app",
			"mysql://app:pw@db/shop?ssl-mode=VERIFY_CA", "mariadb://app:pw@db/shop?sslMode=verify-full", "h2:mem:x" })
	void whenTlsVerifiesTheServerOrIsNotAskedForThenThereIsNoSuchWarning(String value) {
		assertThat(DatabaseTls.unverifiedWarning(ResourceUrl.of("DATABASE_URL", value))).isEmpty();
	}

}
