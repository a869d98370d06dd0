package io.attach.core;

import java.util.List;

import io.attach.core.ResourceKind.Backend;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link Backends}, with a kind whose attached URL's scheme picks its backend.
 *
 * @author attach
 */
class BackendsTests {

	private static final ResourceKind STORE = new StoreKind();

	private final MockEnvironment environment = new MockEnvironment();

	@Test
	void whenNothingIsAttachedOrChosenThenTheFirstBackendWithoutAServerIsUsed() {
		assertThat(Backends.resolve(this.environment, STORE)).extracting(Backend::name).isEqualTo("local");
	}

	@Test
	void whenTheResourceIsAttachedThenItsUrlsSchemePicksTheBackend() {
		this.environment.setProperty("attach.resources.store.url", "S3://bucket/prefix");
		assertThat(Backends.resolve(this.environment, STORE)).extracting(Backend::name).isEqualTo("s3");
		this.environment.setProperty("attach.resources.store.url", "file:///var/files");
		assertThat(Backends.resolve(this.environment, STORE)).extracting(Backend::name).isEqualTo("local");
	}

	@Test
	void whenTheKindsVariableAttachesTheResourceThenItsUrlsSchemePicksTheBackend() {
		this.environment.setProperty("STORE_URL", "s3://bucket/prefix");
		assertThat(Backends.resolve(this.environment, STORE)).extracting(Backend::name).isEqualTo("s3");
	}

	@Test
	void whenThePropertyAndTheVariableAreSetThenThePropertyWins() {
		this.environment.setProperty("attach.resources.store.url", "s3://bucket");
		this.environment.setProperty("STORE_BACKEND", "s3");
		this.environment.setProperty("attach.store.backend", " Local ");
		assertThat(Backends.resolve(this.environment, STORE)).extracting(Backend::name).isEqualTo("local");
		assertThat(Backends.isChosen(this.environment, STORE)).isTrue();
	}

	@Test
	void whenTheBackendSettingsAreEmptyThenNoBackendIsChosen() {
		this.environment.setProperty("STORE_BACKEND", "");
		this.environment.setProperty("attach.store.backend", " ");
		assertThat(Backends.isChosen(this.environment, STORE)).isFalse();
		assertThat(Backends.resolve(this.environment, STORE)).extracting(Backend::name).isEqualTo("local");
	}

	@Test
	void whenABackendThatNeedsTheResourceIsChosenWithoutItThenTheMessageNamesTheFixes() {
		this.environment.setProperty("STORE_BACKEND", "s3");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Backends.resolve(this.environment, STORE))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("STORE_BACKEND"))
			.withMessage("STORE_BACKEND is 's3' but STORE_URL (or attach.resources.store.url) is not set. Set STORE_URL,"
					+ " such as s3://bucket/prefix, or set STORE_BACKEND=local to keep files on the local disk.");
	}

	@Test
	void whenTheBackendIsUnknownThenTheMessageListsEveryBackend() {
		this.environment.setProperty("STORE_BACKEND", "tape");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> Backends.resolve(this.environment, STORE))
			.withMessage("STORE_BACKEND is 'tape', which is not a store backend. Use 'local' to keep files on the"
					+ " local disk or 's3' to keep files in the bucket of STORE_URL.");
	}

	@Test
	void whenTheServiceIsConfiguredThroughBootsPropertiesThenNoBackendIsChosen() {
		this.environment.setProperty("spring.store.host", "boot.internal");
		assertThat(Backends.resolve(this.environment, STORE)).isNull();
		assertThat(Backends.isChosen(this.environment, STORE)).isFalse();
	}

	/**
	 * A kind known only to this test, registered nowhere: handed to {@link Backends}, its variable attaches it too.
	 */
	static final class StoreKind extends ResourceKind {

		StoreKind() {
			super(define("store", "store").variables("STORE_URL")
				.schemes("file", "s3")
				.bootProperties("spring.store.host")
				.backends("STORE_BACKEND", new Backend("local", List.of("file"), false, "keep files on the local disk"),
						Backend.attached("s3", "keep files in the bucket of STORE_URL", "s3"))
				.exampleUrl("s3://bucket/prefix"));
		}

	}

}
