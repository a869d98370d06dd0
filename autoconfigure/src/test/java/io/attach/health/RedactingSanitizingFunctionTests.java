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

	private Object apply(String key, String value) {
		return this.function.apply(new SanitizableData(null, key, value)).getValue();
	}

}
