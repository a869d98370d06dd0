package io.attach.storage;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a {@link FileStorage} listing.
 *
 * @param files the files, in the order of their keys' UTF-8 bytes
 * @param nextStartAfter the key to start the next page after, or {@code null} when this is the last page
 * @author attach
 */
public record FilePage(List<StoredFile> files, @Nullable String nextStartAfter) {

	/**
	 * Creates a page, copying the files.
	 * @param files the files
	 * @param nextStartAfter the key to continue after, or {@code null}
	 */
	public FilePage {
		files = List.copyOf(files);
	}

}
