package io.attach.storage;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one key grammar of every {@link FileStorage} backend: UTF-8, 1 to 1,024 bytes, segments separated by
 * {@code /}, none empty, {@code .} or {@code ..} or longer than 255 bytes, no leading or trailing {@code /}, no
 * {@code \} and no control characters, and a first segment other than {@code .attach} (in any case). A key that breaks
 * it is refused, never silently normalised, so a key valid on local disk is valid in S3 and the other way round.
 * <p>
 * The segment limit is the file name limit of common file systems, and {@code .attach} is where the local backend
 * keeps its temporary files and metadata: both apply on every backend so that the grammar stays one. The rules for
 * what travels with a file, its content type and user metadata, are here too: they become HTTP headers on S3.
 *
 * @author attach
 */
public final class StorageKeys {

	/** The longest key, in UTF-8 bytes: S3's limit. */
	public static final int MAX_BYTES = 1024;

	/** The longest segment of a key, in UTF-8 bytes: the file name limit of ext4, XFS and APFS. */
	public static final int MAX_SEGMENT_BYTES = 255;

	/** The first segment no key may have, in any case: the local backend's own files live there. */
	public static final String RESERVED_SEGMENT = ".attach";

	/**
	 * The start of the metadata names no caller may use, on every backend: the S3 backend keeps the content's
	 * SHA-256 in user metadata under such a name.
	 */
	public static final String RESERVED_METADATA_PREFIX = "attach-";

	/** The most bytes of user metadata, names and values together: S3's limit. */
	public static final int MAX_METADATA_BYTES = 2048;

	private static final int MAX_CONTENT_TYPE_LENGTH = 255;

	private static final Pattern METADATA_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

	private StorageKeys() {
	}

	/**
	 * Checks a key.
	 * @param key the key
	 * @return the key, unchanged
	 * @throws InvalidStorageKeyException if it breaks the grammar, saying how
	 */
	public static String check(String key) {
		if (key.isEmpty()) {
			throw invalid(key, "is empty");
		}
		checkCharacters(key);
		if (key.startsWith("/") || key.endsWith("/")) {
			throw invalid(key, "starts or ends with '/'");
		}
		String[] segments = key.split("/", -1);
		for (String segment : segments) {
			checkSegment(key, segment);
		}
		checkReserved(key, segments[0]);
		return key;
	}

	/**
	 * Checks a listing prefix: empty, or a key's beginning (it may end with {@code /}, and its last segment may be
	 * partial).
	 * @param prefix the prefix
	 * @return the prefix, unchanged
	 * @throws InvalidStorageKeyException if no key could start with it
	 */
	public static String checkPrefix(String prefix) {
		if (prefix.isEmpty()) {
			return prefix;
		}
		checkCharacters(prefix);
		if (prefix.startsWith("/")) {
			throw invalid(prefix, "starts with '/'");
		}
		String[] segments = prefix.split("/", -1);
		for (int i = 0; i < segments.length - 1; i++) {
			checkSegment(prefix, segments[i]);
		}
		if (segments.length > 1) {
			checkReserved(prefix, segments[0]);
		}
		return prefix;
	}

	/**
	 * Tells whether a key follows the grammar, for listings that skip what they cannot name (a file put in a local
	 * root by other means).
	 * @param key the key
	 * @return whether {@link #check(String)} accepts it
	 */
	public static boolean isValid(String key) {
		try {
			check(key);
			return true;
		}
		catch (InvalidStorageKeyException ex) {
			return false;
		}
	}

	/**
	 * Checks a content type: printable ASCII, at most 255 characters, as an HTTP header carries it.
	 * @param contentType the content type
	 * @return the content type, unchanged
	 * @throws IllegalArgumentException if it is not one
	 */
	public static String checkContentType(String contentType) {
		if (contentType.isEmpty() || contentType.length() > MAX_CONTENT_TYPE_LENGTH || !isPrintableAscii(contentType)
				|| !contentType.strip().equals(contentType)) {
			throw new IllegalArgumentException("Content type '" + shown(contentType)
					+ "' is not 1 to 255 printable ASCII characters without leading or trailing spaces");
		}
		return contentType;
	}

	/**
	 * Checks user metadata: names of lower-case ASCII letters, digits and {@code -}, starting with a letter or digit;
	 * values of printable ASCII without leading or trailing spaces; at most 2,048 bytes together; no name starting
	 * with {@value #RESERVED_METADATA_PREFIX}. These survive as HTTP headers through S3 and proxies unchanged, so
	 * metadata read back equals what was written on every backend.
	 * @param metadata the metadata
	 * @return the metadata, unchanged
	 * @throws IllegalArgumentException if it breaks a rule, saying which
	 */
	public static Map<String, String> checkMetadata(Map<String, String> metadata) {
		int bytes = 0;
		for (Map.Entry<String, String> entry : metadata.entrySet()) {
			String name = entry.getKey();
			if (!METADATA_NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("Metadata name '" + shown(name)
						+ "' is not lower-case ASCII letters, digits and '-', starting with a letter or digit");
			}
			if (name.startsWith(RESERVED_METADATA_PREFIX)) {
				throw new IllegalArgumentException("Metadata name '" + name + "' starts with '"
						+ RESERVED_METADATA_PREFIX + "', which attach keeps for its own metadata");
			}
			String value = entry.getValue();
			if (!isPrintableAscii(value) || !value.strip().equals(value)) {
				throw new IllegalArgumentException("Metadata value of '" + name
						+ "' is not printable ASCII without leading or trailing spaces");
			}
			bytes += name.length() + value.length();
		}
		if (bytes > MAX_METADATA_BYTES) {
			throw new IllegalArgumentException(
					"Metadata takes " + bytes + " bytes, more than the " + MAX_METADATA_BYTES + " every backend keeps");
		}
		return metadata;
	}

	private static boolean isPrintableAscii(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

	private static void checkSegment(String key, String segment) {
		if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
			throw invalid(key, "has an empty, '.' or '..' segment");
		}
		if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
			throw invalid(key, "has a segment longer than " + MAX_SEGMENT_BYTES
					+ " bytes in UTF-8, the file name limit of local disks");
		}
	}

	private static void checkReserved(String key, String firstSegment) {
		if (firstSegment.equalsIgnoreCase(RESERVED_SEGMENT)) {
			throw invalid(key, "starts with '" + RESERVED_SEGMENT + "/', reserved for attach's own files");
		}
	}

	private static void checkCharacters(String key) {
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (Character.isISOControl(c)) {
				throw invalid(key, "contains the control character U+%04X".formatted((int) c));
			}
			if (c == '\\') {
				throw invalid(key, "contains '\\'");
			}
			if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw invalid(key, "is not valid UTF-16: a lone surrogate at index " + i);
			}
		}
		if (key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
			throw invalid(key, "is longer than " + MAX_BYTES + " bytes in UTF-8");
		}
	}

	private static String shown(String text) {
		String shown = (text.length() > 80) ? text.substring(0, 80) + "…" : text;
		return shown.replaceAll("\\p{Cntrl}", "?");
	}

	private static InvalidStorageKeyException invalid(String key, String problem) {
		return new InvalidStorageKeyException("Storage key '" + shown(key) + "' " + problem
				+ ": keys are 1 to 1,024 UTF-8 bytes of '/'-separated segments, none empty, '.' or '..' or over 255 "
				+ "bytes, the first not '.attach', without '\\' or control characters", null);
	}

}
