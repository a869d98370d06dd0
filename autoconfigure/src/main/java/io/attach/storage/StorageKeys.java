package io.attach.storage;

import java.nio.charset.StandardCharsets;

/**
 * The one key grammar of every {@link FileStorage} backend: UTF-8, 1 to 1,024 bytes, segments separated by
 * {@code /}, none empty, {@code .} or {@code ..}, no leading or trailing {@code /}, no {@code \} and no control
 * characters. A key that breaks it is refused, never silently normalised, so a key valid on local disk is valid in S3.
 *
 * @author attach
 */
public final class StorageKeys {

	/** The longest key, in UTF-8 bytes: S3's limit. */
	public static final int MAX_BYTES = 1024;

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
		for (String segment : key.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				throw invalid(key, "has an empty, '.' or '..' segment");
			}
		}
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
			if (segments[i].isEmpty() || segments[i].equals(".") || segments[i].equals("..")) {
				throw invalid(prefix, "has an empty, '.' or '..' segment");
			}
		}
		return prefix;
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

	private static InvalidStorageKeyException invalid(String key, String problem) {
		String shown = (key.length() > 80) ? key.substring(0, 80) + "…" : key;
		return new InvalidStorageKeyException(
				"Storage key '" + shown.replaceAll("\\p{Cntrl}", "?") + "' " + problem
						+ ": keys are 1 to 1,024 UTF-8 bytes of '/'-separated segments, none empty, '.' or '..', "
						+ "without '\\' or control characters",
				null);
	}

}
