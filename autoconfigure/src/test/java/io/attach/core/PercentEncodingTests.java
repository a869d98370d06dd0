package io.attach.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PercentEncoding}.
 *
 * @author attach
 */
class PercentEncodingTests {

	@Test
	void whenTextHasNoPercentSignThenItIsReturnedAsIs() {
		assertThat(PercentEncoding.decode("pl+us~x")).isEqualTo("pl+us~x");
	}

	@Test
	void whenEscapeHasZeroDigitsThenTheyAreDecoded() {
		// '0' is a hex digit worth zero, in either place.
		assertThat(PercentEncoding.decode("%09%30%A0")).isEqualTo("\t0\uFFFD");
	}

	@Test
	void whenEscapeIsNulThenItIsRefused() {
		// libpq refuses it too: C strings end there, so a driver or server could read less than the URL says.
		assertThatIllegalArgumentException().isThrownBy(() -> PercentEncoding.decode("db%00.evil"))
			.withMessageContaining("'%00' (NUL)");
	}

	@Test
	void whenEscapesAreMixedWithTextThenEachIsDecodedOnce() {
		assertThat(PercentEncoding.decode("a%2540%41%7e%7E")).isEqualTo("a%40A~~");
		assertThat(PercentEncoding.decode("%F0%9F%94%91key")).isEqualTo("\uD83D\uDD11key");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "%", "a%", "a%4", "%4", "%g0", "%0g", "ab%zzcd", "100%" })
	void whenPercentSignIsNotFollowedByTwoHexDigitsThenItIsRefused(String value) {
		assertThatIllegalArgumentException().isThrownBy(() -> PercentEncoding.decode(value))
			.withMessage("'%' must be followed by two hex digits");
	}

	@Test
	void whenUserNameHasOnlyUnreservedAndSubDelimiterCharactersThenItIsShownAsIs() {
		String safe = "azAZ09-._~!$&'()*+,;=";
		assertThat(PercentEncoding.encodeUserInfo(safe)).isEqualTo(safe);
	}

	@Test
	void whenUserNameHasCharactersNextToTheSafeRangesThenTheyAreEncoded() {
		// The neighbours of a-z, A-Z and 0-9: '`' '{' '@' '[' '/' ':'; then a space, '%' and a two-byte character.
		assertThat(PercentEncoding.encodeUserInfo("`{@[/: %\u00e9")).isEqualTo("%60%7B%40%5B%2F%3A%20%25%C3%A9");
	}

	@Test
	void whenEncodedUserNameIsDecodedThenTheOriginalComesBack() {
		String name = "me@example.com/\u00e9t\u00e9:x";
		assertThat(PercentEncoding.decode(PercentEncoding.encodeUserInfo(name))).isEqualTo(name);
	}

}
