package io.attach.storage;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Stores files by key, on local disk or in an S3-compatible store: application code depends on this instead of a
 * store's client, and the same code works on every backend.
 * <p>
 * Keys follow one grammar on every backend ({@link StorageKeys}): a key valid in development is valid in production.
 * Writes are whole or absent: a reader never sees part of a file, and a write that fails (the store, the disk, or the
 * caller's stream) leaves nothing behind. Every call is bounded in time; when the store cannot be reached it throws
 * {@link StorageUnavailableException}.
 *
 * @author attach
 */
public interface FileStorage {

	/**
	 * Stores a stream of unknown length under a key, replacing any file there unless the options say otherwise. The
	 * stream is read to its end and not closed.
	 * @param key the key
	 * @param content the content
	 * @param options the content type, metadata and whether an existing file is an error
	 * @return what was stored
	 * @throws InvalidStorageKeyException if the key breaks the grammar
	 * @throws StorageFileExistsException if {@link PutOptions#failIfExists()} and a file is there
	 * @throws StorageException if the content could not be stored, then nothing was
	 */
	StoredFile put(String key, InputStream content, PutOptions options);

	/**
	 * Stores bytes under a key.
	 * @param key the key
	 * @param content the content
	 * @param options the content type, metadata and whether an existing file is an error
	 * @return what was stored
	 * @see #put(String, InputStream, PutOptions)
	 */
	StoredFile put(String key, byte[] content, PutOptions options);

	/**
	 * Stores a file's content under a key.
	 * @param key the key
	 * @param file the file to read
	 * @param options the content type, metadata and whether an existing file is an error
	 * @return what was stored
	 * @see #put(String, InputStream, PutOptions)
	 */
	StoredFile put(String key, Path file, PutOptions options);

	/**
	 * Describes the file under a key.
	 * @param key the key
	 * @return the file's size, content type, metadata and checksum
	 * @throws StorageFileNotFoundException if there is none
	 */
	StoredFile stat(String key);

	/**
	 * Tells whether a file is stored under a key.
	 * @param key the key
	 * @return whether it is
	 */
	boolean exists(String key);

	/**
	 * Opens the whole file under a key; the caller closes the stream.
	 * @param key the key
	 * @return its content
	 * @throws StorageFileNotFoundException if there is none
	 */
	InputStream open(String key);

	/**
	 * Opens part of the file under a key; the caller closes the stream.
	 * @param key the key
	 * @param offset the first byte, from 0
	 * @param length how many bytes at most; fewer when the file ends sooner
	 * @return that part of its content
	 * @throws StorageFileNotFoundException if there is none
	 */
	InputStream open(String key, long offset, long length);

	/**
	 * Deletes the file under a key; deleting a missing file is no error.
	 * @param key the key
	 */
	void delete(String key);

	/**
	 * Deletes the files under several keys; missing files are no error.
	 * @param keys the keys
	 */
	void deleteAll(Collection<String> keys);

	/**
	 * Lists the files whose keys start with a prefix, in the order of their keys' UTF-8 bytes, fetching one page at a
	 * time as the stream is consumed; the caller closes the stream.
	 * @param prefix the prefix, empty for every file
	 * @return the files
	 */
	Stream<StoredFile> list(String prefix);

	/**
	 * Lists one page of the files whose keys start with a prefix, for callers that page themselves (a web API).
	 * @param prefix the prefix, empty for every file
	 * @param startAfter the last key of the previous page, or {@code null} for the first page
	 * @param limit the most files to return, 1 to 1,000
	 * @return the page
	 */
	FilePage listPage(String prefix, @Nullable String startAfter, int limit);

	/**
	 * Copies a file to another key, replacing any file there.
	 * @param sourceKey the file's key
	 * @param targetKey the copy's key
	 * @return the copy
	 * @throws StorageFileNotFoundException if there is no file under the source key
	 */
	StoredFile copy(String sourceKey, String targetKey);

	/**
	 * Makes a URL that lets anyone holding it download the file under a key until it expires.
	 * @param key the key
	 * @param expiry how long the URL works
	 * @return the URL
	 */
	URI presignGet(String key, Duration expiry);

	/**
	 * Makes a URL that lets anyone holding it upload a file under a key, by HTTP {@code PUT}, until it expires.
	 * @param key the key
	 * @param expiry how long the URL works
	 * @param contentType the content type the upload must declare, or {@code null} for any
	 * @return the URL
	 */
	URI presignPut(String key, Duration expiry, @Nullable String contentType);

	/**
	 * Describes the backend and what it can do.
	 * @return the capabilities
	 */
	StorageCapabilities capabilities();

}
