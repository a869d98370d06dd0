package io.attach.storage;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LocalUrlSigner}.
 *
 * @author attach
 */
class LocalUrlSignerTests {

	private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

	private final LocalUrlSigner signer = signer(NOW, "k".repeat(32));

	private static LocalUrlSigner signer(Instant now, String key) {
		return new LocalUrlSigner(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "/attach/storage",
				Clock.fixed(now, ZoneOffset.UTC));
	}

	@Test
	void aSignedUrlIsValidForItsMethodAndKeyUntilItExpires() {
		URI url = this.signer.sign(null, "GET", "a/b.txt", Duration.ofMinutes(5), null);
		assertThat(url.getRawPath()).isEqualTo("/attach/storage/a/b.txt");
		assertThat(this.signer.verify("GET", "a/b.txt", url.getRawQuery())).isEmpty();
		assertThat(signer(NOW.plusSeconds(300), "k".repeat(32)).verify("GET", "a/b.txt", url.getRawQuery())).isEmpty();
		assertThat(signer(NOW.plusSeconds(301), "k".repeat(32)).verify("GET", "a/b.txt", url.getRawQuery())).isNull();
	}

	@Test
	void aUrlIsRefusedForAnotherMethodOrKey() {
		URI url = this.signer.sign(null, "GET", "a/b.txt", Duration.ofMinutes(5), null);
		assertThat(this.signer.verify("PUT", "a/b.txt", url.getRawQuery())).isNull();
		assertThat(this.signer.verify("GET", "a/c.txt", url.getRawQuery())).isNull();
	}

	@Test
	void aUrlSignedWithAnotherKeyIsRefused() {
		URI url = signer(NOW, "o".repeat(32)).sign(null, "GET", "k", Duration.ofMinutes(5), null);
		assertThat(this.signer.verify("GET", "k", url.getRawQuery())).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "expires=9999999999", "signature=AAAA", "content-type=text%2Fhtml" })
	void aTamperedQueryIsRefused(String tampering) {
		String query = this.signer.sign(null, "PUT", "k", Duration.ofMinutes(5), "image/png").getRawQuery();
		String name = tampering.substring(0, tampering.indexOf('='));
		String tampered = query.replaceAll(name + "=[^&]*", tampering);
		assertThat(tampered).isNotEqualTo(query);
		assertThat(this.signer.verify("PUT", "k", tampered)).isNull();
	}

	@Test
	void aRepeatedOrMissingParameterIsRefused() {
		String query = this.signer.sign(null, "GET", "k", Duration.ofMinutes(5), null).getRawQuery();
		assertThat(this.signer.verify("GET", "k", query + "&expires=9999999999")).isNull();
		assertThat(this.signer.verify("GET", "k", query.replaceAll("&signature=[^&]*", ""))).isNull();
		assertThat(this.signer.verify("GET", "k", null)).isNull();
	}

	@Test
	void anUploadUrlBindsItsContentType() {
		URI url = this.signer.sign(null, "PUT", "k", Duration.ofMinutes(5), "text/plain; charset=utf-8");
		assertThat(this.signer.verify("PUT", "k", url.getRawQuery())).isEqualTo("text/plain; charset=utf-8");
		String unbound = url.getRawQuery().replaceAll("&content-type=[^&]*", "");
		assertThat(this.signer.verify("PUT", "k", unbound)).isNull();
	}

	@Test
	void expiriesOutsideOneSecondToSevenDaysAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.signer.sign(null, "GET", "k", Duration.ofMillis(999), null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.signer.sign(null, "GET", "k", Duration.ofDays(7).plusSeconds(1), null));
		assertThat(this.signer.sign(null, "GET", "k", Duration.ofDays(7), null)).isNotNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a", "a b/ü.txt", "日本/\uD83D\uDE00", "100%/q?x=1#y", "plus+sign", "~tilde-_." })
	void pathsDecodeToTheKeysTheyEncode(String key) {
		String encoded = LocalUrlSigner.encodePath(key);
		assertThat(encoded).matches("[A-Za-z0-9._~/%-]+");
		assertThat(LocalUrlSigner.decodePath(encoded)).isEqualTo(key);
	}

	@ParameterizedTest
	@ValueSource(strings = { "%", "%4", "%zz", "%C3", "%FF", "ü" })
	void pathsThatAreNotPercentEncodedUtf8DecodeToNothing(String path) {
		assertThat(LocalUrlSigner.decodePath(path)).isNull();
	}

}
