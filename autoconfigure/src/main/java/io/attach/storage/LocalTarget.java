package io.attach.storage;

import java.nio.file.Path;

/**
 * Where the local backend keeps files, resolved from {@code STORAGE_URL=file:///…} or, with nothing attached, the
 * development default.
 *
 * @param root the root directory, absolute and normalised
 * @param setting the setting it came from, for messages
 * @author attach
 */
record LocalTarget(Path root, String setting) {

}
