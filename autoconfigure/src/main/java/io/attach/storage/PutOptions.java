package io.attach.storage;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * How {@link FileStorage#put} stores a file: its content type, user metadata, and whether a file already under the
 * key is an error.
 *
 * @param contentType the content type, or {@code null} for {@code application/octet-stream}
 * @param metadata user metadata, names in lower case ASCII
 * @param failIfExists whether a file already under the key is an error instead of being replaced
 * @author attach
 */
public record PutOptions(@Nullable String contentType, Map<String, String> metadata, boolean failIfExists) {

	private static final PutOptions DEFAULTS = new PutOptions(null, Map.of(), false);

	/**
	 * Creates options, copying the metadata.
	 * @param contentType the content type, or {@code null}
	 * @param metadata user metadata
	 * @param failIfExists whether an existing file is an error
	 */
	public PutOptions {
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Options that store {@code application/octet-stream}, no metadata, replacing any file.
	 * @return the default options
	 */
	public static PutOptions defaults() {
		return DEFAULTS;
	}

	/**
	 * Options with a content type.
	 * @param contentType the content type
	 * @return new options
	 */
	public PutOptions withContentType(String contentType) {
		return new PutOptions(contentType, this.metadata, this.failIfExists);
	}

	/**
	 * Options with one more metadata entry.
	 * @param name the entry's name
	 * @param value its value
	 * @return new options
	 */
	public PutOptions withMetadata(String name, String value) {
		Map<String, String> metadata = new LinkedHashMap<>(this.metadata);
		metadata.put(name, value);
		return new PutOptions(this.contentType, metadata, this.failIfExists);
	}

	/**
	 * Options that refuse to replace a file already under the key.
	 * @return new options
	 */
	public PutOptions withFailIfExists() {
		return new PutOptions(this.contentType, this.metadata, true);
	}

}
