package io.attach.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SanitizableData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedactingSanitizingFunction}.
 *
 * @author attach
 */
class RedactingSanitizingFunctionTests {

	private final RedactingSanitizingFunction function = new RedactingSanitizingFunction();

	@Test
	void whenValueIsUrlWithPasswordThenOnlyThePasswordIsHidden() {
		assertThat(apply("DATABASE_URL", "postgres://app:s3cret@db:5432/myapp"))
			.isEqualTo("postgres://app:****@db:5432/myapp");
	}

	@Test
	void whenKeyNamesACredentialThenTheWholeValueIsHidden() {
		assertThat(apply("password", "s3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
		assertThat(apply("spring.datasource.hikari.password", "s3cret")).isEqualTo(SanitizableData.SANITIZED_VALUE);
	}

	@Test
	void whenValueHoldsNoSecretThenItIsShown() {
		assertThat(apply("spring.application.name", "attach-sample")).isEqualTo("attach-sample");
		assertThat(apply("REDIS_URL", "redis://cache:6379/0")).isEqualTo("redis://cache:6379/0");
	}

	@Test
	void whenSchemeIsUnknownThenTheKeyDecidesThatALoneTokenIsAPassword() {
		assertThat(apply("REDIS_URL", "redis+ssl://canary@cache:6379")).isEqualTo("redis+ssl://****@cache:6379");
		assertThat(apply("DATABASE_URL", "postgres://app@db/myapp")).isEqualTo("postgres://app@db/myapp");
	}

	@Test
	void whenKeyIsUnknownThenEveryUserInfoTokenIsHidden() {
		assertThat(apply("search.url", "https://canary@search.example.com")).isEqualTo("https://****@search.example.com");
		assertThat(apply("search.url", "https://canary:pw@search.example.com"))
			.isEqualTo("https://****:****@search.example.com");
	}

	@Test
	void whenUserNameIsThePasswordThenBothAreHidden() {
		assertThat(apply("SMTP_URL", "smtp://canary:canary@smtp.postmarkapp.com:587"))
			.isEqualTo("smtp://****:****@smtp.postmarkapp.com:587");
	}

	private Object apply(String key, String value) {
		return this.function.apply(new SanitizableData(null, key, value)).getValue();
	}

}
