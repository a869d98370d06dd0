package io.attach.storage;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StorageKeys}: the table of accepted and rejected keys, prefixes, content types and metadata.
 *
 * @author attach
 */
class StorageKeysTests {

	@ParameterizedTest
	@ValueSource(strings = { "a", "avatars/42.png", "a/b/c/d", "with space", "ü/日本.txt", "\uD83D\uDE00", "..a", "a..",
			"...", ".hidden", ".attachment", "x/.attach", "attach/x", "100%", "q?a=1&b#c", "plus+sign", "a:b", "*" })
	void keysInsideTheGrammarAreAcceptedUnchanged(String key) {
		assertThat(StorageKeys.check(key)).isSameAs(key);
		assertThat(StorageKeys.isValid(key)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "/", "/a", "a/", "a//b", ".", "..", "./a", "a/.", "a/./b", "a/../b", "a\\b", "a\tb",
			"a\nb", "a\u0000b", "a\u007fb", "a\u0085b", ".attach", ".attach/x", ".Attach/x", ".ATTACH/x/y", "a\uD800",
			"\uDC00a" })
	void keysOutsideTheGrammarAreRefused(String key) {
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> StorageKeys.check(key));
		assertThat(StorageKeys.isValid(key)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 255 })
	void segmentsUpTo255BytesAreAccepted(int length) {
		assertThat(StorageKeys.isValid("a/" + "x".repeat(length) + "/b")).isTrue();
		assertThat(StorageKeys.isValid("é".repeat(127))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(ints = { 256, 300 })
	void segmentsLongerThan255BytesAreRefusedNamingTheLimit(int length) {
		assertThatExceptionOfType(InvalidStorageKeyException.class)
			.isThrownBy(() -> StorageKeys.check("a/" + "x".repeat(length)))
			.withMessageContaining("255 bytes");
		// 128 two-byte characters: 256 bytes in UTF-8 though 128 characters.
		assertThat(StorageKeys.isValid("é".repeat(128))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1023, 1024 })
	void keysUpTo1024BytesAreAccepted(int length) {
		assertThat(StorageKeys.isValid(longKey(length))).isTrue();
	}

	@ParameterizedTest
	@ValueSource(ints = { 1025, 2000 })
	void keysLongerThan1024BytesAreRefused(int length) {
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> StorageKeys.check(longKey(length)))
			.withMessageContaining("1024 bytes");
	}

	private static String longKey(int length) {
		StringBuilder key = new StringBuilder();
		while (key.length() < length) {
			if (key.length() > 0) {
				key.append('/');
			}
			key.append("x".repeat(Math.min(200, length - key.length())));
		}
		return key.toString();
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\nb", "a/../b", "\u0000" })
	void messagesShowNoControlCharacters(String key) {
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> StorageKeys.check(key))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContainPattern("\\p{Cntrl}"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a", "a/", "a/b", "a/b/", "a/partial-seg", ".att", ".attach-x", "x/.attach/" })
	void prefixesAKeyCouldStartWithAreAccepted(String prefix) {
		assertThat(StorageKeys.checkPrefix(prefix)).isSameAs(prefix);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/a", "a//", "a//b", "./", "../a", "a/../", ".attach/", ".ATTACH/x", "a\\", "a\nb" })
	void prefixesNoKeyCouldStartWithAreRefused(String prefix) {
		assertThatExceptionOfType(InvalidStorageKeyException.class).isThrownBy(() -> StorageKeys.checkPrefix(prefix));
	}

	@ParameterizedTest
	@ValueSource(strings = { "image/png", "text/plain; charset=utf-8", "application/vnd.example+json" })
	void contentTypesOfPrintableAsciiAreAccepted(String contentType) {
		assertThat(StorageKeys.checkContentType(contentType)).isSameAs(contentType);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " text/plain", "text/plain\r\nX-Injected: 1", "tëxt/plain" })
	void contentTypesThatAreNoHeaderValueAreRefused(String contentType) {
		assertThatIllegalArgumentException().isThrownBy(() -> StorageKeys.checkContentType(contentType));
	}

	@ParameterizedTest
	@ValueSource(strings = { "owner", "x-origin", "a1", "9", "attach", "attachment" })
	void metadataNamesOfLowerCaseAsciiAreAccepted(String name) {
		assertThat(StorageKeys.checkMetadata(Map.of(name, "value; with = signs"))).containsKey(name);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Owner", "-x", "a_b", "a b", "é", "attach-sha256", "attach-x" })
	void otherMetadataNamesAreRefused(String name) {
		assertThatIllegalArgumentException().isThrownBy(() -> StorageKeys.checkMetadata(Map.of(name, "v")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "café", " padded", "padded ", "line\nbreak" })
	void metadataValuesThatChangeOnTheWayAreRefused(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> StorageKeys.checkMetadata(Map.of("name", value)));
	}

	@ParameterizedTest
	@ValueSource(ints = { 2044, 2045 })
	void metadataUpTo2048BytesIsAcceptedAndNoMore(int valueLength) {
		Map<String, String> metadata = Map.of("name", "v".repeat(valueLength));
		if (valueLength + 4 <= StorageKeys.MAX_METADATA_BYTES) {
			assertThat(StorageKeys.checkMetadata(metadata)).isSameAs(metadata);
		}
		else {
			assertThatIllegalArgumentException().isThrownBy(() -> StorageKeys.checkMetadata(metadata))
				.withMessageContaining("2048");
		}
	}

}
