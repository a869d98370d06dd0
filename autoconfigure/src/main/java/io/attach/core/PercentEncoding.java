package io.attach.core;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding as URLs define it: {@code +} stays a plus sign, unlike form decoding.
 *
 * @author attach
 */
final class PercentEncoding {

	private static final String USER_INFO_SAFE = "-._~!$&'()*+,;=";

	private PercentEncoding() {
	}

	/**
	 * Decodes {@code %XX} sequences as UTF-8.
	 * @param value the encoded text
	 * @return the decoded text
	 * @throws IllegalArgumentException if a {@code %} is not followed by two hex digits
	 */
	static String decode(String value) {
		if (value.indexOf('%') < 0) {
			return value;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
		for (int i = 0; i < value.length(); i++) {
			char ch = value.charAt(i);
			if (ch == '%') {
				if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
						|| Character.digit(value.charAt(i + 2), 16) < 0) {
					throw new IllegalArgumentException("'%' must be followed by two hex digits");
				}
				int decoded = Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16);
				if (decoded == 0) {
					// A NUL ends a string in C: libpq refuses it, and a driver or server could cut the value there.
					throw new IllegalArgumentException("'%00' (NUL) is not allowed");
				}
				bytes.write(decoded);
				i += 2;
			}
			else {
				byte[] encoded = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/**
	 * Encodes a user name so that it can be shown inside a URL's user info.
	 * @param value the decoded user name
	 * @return the encoded user name
	 */
	static String encodeUserInfo(String value) {
		StringBuilder result = new StringBuilder(value.length());
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			char ch = (char) (b & 0xFF);
			if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
					|| USER_INFO_SAFE.indexOf(ch) >= 0) {
				result.append(ch);
			}
			else {
				result.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
					.append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
			}
		}
		return result.toString();
	}

}
