package io.attach.storage;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Signs and checks the presigned URLs of the local backend, as Go CDK's {@code fileblob} does: an HMAC-SHA256 over
 * the method, the key, the expiry and, for an upload that must declare one, the content type. The application serves
 * them ({@link LocalStorageUrlHandler}).
 * <p>
 * A URL is {@code <base><path>/<key, each segment percent-encoded>?expires=<epoch seconds>&signature=<base64url>},
 * with {@code &content-type=<type>} when an upload must declare that type.
 *
 * @author attach
 */
final class LocalUrlSigner {

	/** The longest expiry: S3's, so that code valid in development is valid in production. */
	static final Duration MAX_EXPIRY = Duration.ofDays(7);

	static final String EXPIRES = "expires";

	static final String SIGNATURE = "signature";

	static final String CONTENT_TYPE = "content-type";

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	private final String path;

	private final Clock clock;

	/**
	 * Creates a signer.
	 * @param key the secret key, at least 32 bytes
	 * @param path the path the handler serves, starting with {@code /} and not ending with one
	 * @param clock the clock expiries are measured by
	 */
	LocalUrlSigner(byte[] key, String path, Clock clock) {
		this.key = new SecretKeySpec(key, ALGORITHM);
		this.path = path;
		this.clock = clock;
	}

	String path() {
		return this.path;
	}

	/**
	 * Makes a URL.
	 * @param base scheme, host and context path to put before the path, or {@code null} for a relative URL
	 * @param method {@code GET} or {@code PUT}
	 * @param storageKey the key
	 * @param expiry how long the URL works, 1 second to 7 days
	 * @param contentType the content type an upload must declare, or {@code null}
	 * @return the URL
	 */
	URI sign(@Nullable String base, String method, String storageKey, Duration expiry, @Nullable String contentType) {
		if (expiry.compareTo(Duration.ofSeconds(1)) < 0 || expiry.compareTo(MAX_EXPIRY) > 0) {
			throw new IllegalArgumentException("A presigned URL's expiry must be 1 second to 7 days, not " + expiry);
		}
		long expires = this.clock.instant().plus(expiry).getEpochSecond();
		StringBuilder url = new StringBuilder();
		if (base != null) {
			url.append(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
		}
		url.append(this.path).append('/').append(encodePath(storageKey));
		url.append('?').append(EXPIRES).append('=').append(expires);
		url.append('&').append(SIGNATURE).append('=').append(signature(method, storageKey, expires, contentType));
		if (contentType != null) {
			url.append('&').append(CONTENT_TYPE).append('=').append(URLEncoder.encode(contentType, StandardCharsets.UTF_8));
		}
		return URI.create(url.toString());
	}

	/**
	 * Checks a request's signature and expiry.
	 * @param method the request's method
	 * @param storageKey the key its path names
	 * @param query its raw query string, or {@code null}
	 * @return the content type the URL binds an upload to, empty for any, or {@code null} when the URL is expired,
	 * tampered with or not for this method
	 */
	@Nullable String verify(String method, String storageKey, @Nullable String query) {
		Map<String, String> parameters = parseQuery(query);
		String expiresText = parameters.get(EXPIRES);
		String signature = parameters.get(SIGNATURE);
		String contentType = parameters.get(CONTENT_TYPE);
		if (expiresText == null || signature == null) {
			return null;
		}
		long expires;
		try {
			expires = Long.parseLong(expiresText);
		}
		catch (NumberFormatException ex) {
			return null;
		}
		byte[] expected = signature(method, storageKey, expires, contentType).getBytes(StandardCharsets.US_ASCII);
		// Constant time, so that the signature cannot be guessed byte by byte from response times.
		if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
			return null;
		}
		if (this.clock.instant().getEpochSecond() > expires) {
			return null;
		}
		return (contentType != null) ? contentType : "";
	}

	private String signature(String method, String storageKey, long expires, @Nullable String contentType) {
		String signed = method + "\n" + storageKey + "\n" + expires + "\n" + ((contentType != null) ? contentType : "");
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every Java platform has " + ALGORITHM, ex);
		}
	}

	/**
	 * Percent-encodes a key for a URL's path: each segment's UTF-8 bytes but the unreserved ones, {@code /} kept.
	 * @param storageKey the key
	 * @return the path
	 */
	static String encodePath(String storageKey) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : storageKey.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
					|| c == '_' || c == '~' || c == '/') {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
					.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
			}
		}
		return encoded.toString();
	}

	/**
	 * Decodes a path that {@link #encodePath} made, strictly.
	 * @param path the raw path after the handler's prefix
	 * @return the key, or {@code null} when the path is not valid percent-encoded UTF-8
	 */
	static @Nullable String decodePath(String path) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '%') {
				if (i + 2 >= path.length()) {
					return null;
				}
				int high = Character.digit(path.charAt(i + 1), 16);
				int low = Character.digit(path.charAt(i + 2), 16);
				if (high < 0 || low < 0) {
					return null;
				}
				bytes.write((high << 4) | low);
				i += 2;
			}
			else if (c < 0x80) {
				bytes.write(c);
			}
			else {
				return null;
			}
		}
		try {
			CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()));
			return chars.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	private static Map<String, String> parseQuery(@Nullable String query) {
		Map<String, String> parameters = new HashMap<>();
		if (query == null) {
			return parameters;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				String name = pair.substring(0, equals);
				String value = pair.substring(equals + 1);
				String decoded = decodePath(value.replace('+', ' '));
				// A repeated parameter is a tampered URL: the first and the second could be checked differently.
				if (decoded == null || parameters.putIfAbsent(name, decoded) != null) {
					return Map.of();
				}
			}
		}
		return parameters;
	}

}
