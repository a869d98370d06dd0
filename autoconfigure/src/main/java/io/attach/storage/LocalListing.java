package io.attach.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a local listing: a depth-first walk that yields keys in the order of their UTF-8 bytes, S3's order,
 * skipping the subtrees that hold only keys up to the page's start, and stopping once the page is full.
 * <p>
 * A directory's entries are sorted by their name's bytes, a directory's name with {@code /} after it, so that
 * {@code a-b} (before {@code /}) comes before {@code a/x} and {@code a0} after it, as in S3. Symbolic links, files
 * that are not regular, the reserved {@code .attach} tree and names outside the key grammar are skipped. Each page
 * reads the directories along its way again: a flat directory of n files costs n log n per page.
 *
 * @author attach
 */
final class LocalListing {

	private final String prefix;

	private final byte @Nullable [] startAfter;

	private final int limit;

	private final List<StoredFile> files;

	private final Describer describer;

	LocalListing(String prefix, byte @Nullable [] startAfter, int limit, List<StoredFile> files, Describer describer) {
		this.prefix = prefix;
		this.startAfter = startAfter;
		this.limit = limit;
		this.files = files;
		this.describer = describer;
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Walks a directory.
	 * @param directory the directory
	 * @param directoryKey the key prefix of its files: empty for the root, else ending with {@code /}
	 * @return whether the page is full
	 */
	boolean walk(Path directory, String directoryKey) throws IOException {
		for (Entry entry : entries(directory, directoryKey)) {
			if (entry.directory()) {
				if (isRelevant(entry) && walk(entry.path(), entry.key())) {
					return true;
				}
			}
			else if (entry.key().startsWith(this.prefix) && isAfterStart(entry.sortKey())
					&& StorageKeys.isValid(entry.key())) {
				this.files.add(this.describer.describe(entry.key(), entry.attributes()));
				if (this.files.size() >= this.limit) {
					return true;
				}
			}
		}
		return false;
	}

	private boolean isRelevant(Entry directory) {
		String key = directory.key();
		if (!key.startsWith(this.prefix) && !this.prefix.startsWith(key)) {
			return false;
		}
		byte[] start = this.startAfter;
		if (start == null) {
			return true;
		}
		// Every key below starts with the directory's: all of them are up to the start unless it is a prefix of it.
		byte[] bytes = directory.sortKey();
		return Arrays.compareUnsigned(bytes, start) > 0 || isPrefix(bytes, start);
	}

	private boolean isAfterStart(byte[] key) {
		return this.startAfter == null || Arrays.compareUnsigned(key, this.startAfter) > 0;
	}

	private static boolean isPrefix(byte[] prefix, byte[] bytes) {
		return bytes.length >= prefix.length && Arrays.equals(prefix, 0, prefix.length, bytes, 0, prefix.length);
	}

	private static List<Entry> entries(Path directory, String directoryKey) throws IOException {
		List<Entry> entries = new ArrayList<>();
		try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
			for (Path child : children) {
				String name = String.valueOf(child.getFileName());
				if (directoryKey.isEmpty() && name.equalsIgnoreCase(StorageKeys.RESERVED_SEGMENT)) {
					continue;
				}
				BasicFileAttributes attributes;
				try {
					attributes = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
				}
				catch (NoSuchFileException ex) {
					// Deleted while listed.
					continue;
				}
				if (attributes.isDirectory()) {
					String key = directoryKey + name + "/";
					entries.add(new Entry(key, utf8(key), child, attributes, true));
				}
				else if (attributes.isRegularFile()) {
					String key = directoryKey + name;
					entries.add(new Entry(key, utf8(key), child, attributes, false));
				}
			}
		}
		entries.sort((left, right) -> Arrays.compareUnsigned(left.sortKey(), right.sortKey()));
		return entries;
	}

	/**
	 * Describes a file found by a listing.
	 */
	@FunctionalInterface
	interface Describer {

		StoredFile describe(String key, BasicFileAttributes attributes) throws IOException;

	}

	private record Entry(String key, byte[] sortKey, Path path, BasicFileAttributes attributes, boolean directory) {

	}

}
