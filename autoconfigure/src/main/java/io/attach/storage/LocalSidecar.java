package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.jspecify.annotations.Nullable;

/**
 * What the local backend keeps beside a file, in {@code <root>/.attach/meta/<key>}: its content type, user metadata
 * and SHA-256, and the identity (inode) and size of the file they describe.
 * <p>
 * The file is renamed into place first and its sidecar second. A reader that finds a sidecar describing another file
 * (between the two renames, after a crash between them, or for a file copied into the root by other means) ignores
 * it and describes the file as one written without attach: {@code application/octet-stream}, no metadata, no
 * checksum. So a stale sidecar never lends its metadata to new content, and a missing one never breaks a call.
 *
 * @param contentType the content type
 * @param metadata user metadata
 * @param sha256 the content's SHA-256 in hex
 * @param size the size of the file described
 * @param identity the file's identity, or {@code null} where the file system has none
 * @author attach
 */
record LocalSidecar(String contentType, Map<String, String> metadata, String sha256, long size,
		@Nullable String identity) {

	static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	private static final String METADATA = "metadata.";

	LocalSidecar {
		metadata = Map.copyOf(metadata);
	}

	/**
	 * Whether this sidecar describes a file.
	 * @param attributes the file's attributes
	 * @return whether it does
	 */
	boolean describes(BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		return this.size == attributes.size()
				&& ((this.identity == null && key == null) || (key != null && key.toString().equals(this.identity)));
	}

	/**
	 * Describes a file by its attributes and, when it describes that file, a sidecar.
	 * @param key the key
	 * @param attributes the file's attributes
	 * @param sidecar its sidecar, or {@code null}
	 * @return the description
	 */
	static StoredFile describe(String key, BasicFileAttributes attributes, @Nullable LocalSidecar sidecar) {
		if (sidecar != null && sidecar.describes(attributes)) {
			return new StoredFile(key, attributes.size(), sidecar.contentType(),
					attributes.lastModifiedTime().toInstant(), sidecar.metadata(), sidecar.sha256());
		}
		return new StoredFile(key, attributes.size(), DEFAULT_CONTENT_TYPE, attributes.lastModifiedTime().toInstant(),
				Map.of(), null);
	}

	InputStream content() {
		Properties properties = new Properties();
		properties.setProperty("version", "1");
		properties.setProperty("content-type", this.contentType);
		properties.setProperty("sha256", this.sha256);
		properties.setProperty("size", Long.toString(this.size));
		if (this.identity != null) {
			properties.setProperty("identity", this.identity);
		}
		this.metadata.forEach((name, value) -> properties.setProperty(METADATA + name, value));
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try {
			properties.store(bytes, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new ByteArrayInputStream(bytes.toByteArray());
	}

	/**
	 * Reads a sidecar.
	 * @param path its path
	 * @return the sidecar, or {@code null} when there is none or it cannot be understood
	 */
	static @Nullable LocalSidecar read(Path path) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
			properties.load(in);
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IllegalArgumentException ex) {
			// Malformed: treated as missing, so the file reads as one written without attach.
			return null;
		}
		String contentType = properties.getProperty("content-type");
		String sha256 = properties.getProperty("sha256");
		String size = properties.getProperty("size");
		if (!Objects.equals(properties.getProperty("version"), "1") || contentType == null || sha256 == null
				|| size == null) {
			return null;
		}
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String name : properties.stringPropertyNames()) {
			if (name.startsWith(METADATA)) {
				metadata.put(name.substring(METADATA.length()), properties.getProperty(name));
			}
		}
		try {
			return new LocalSidecar(contentType, metadata, sha256, Long.parseLong(size),
					properties.getProperty("identity"));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
