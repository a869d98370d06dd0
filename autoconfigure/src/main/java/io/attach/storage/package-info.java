/**
 * {@code STORAGE_URL} attached as one {@link io.attach.storage.FileStorage} API over local disk and S3-compatible
 * stores, with writes that are whole or absent on both.
 */
@NullMarked
package io.attach.storage;

import org.jspecify.annotations.NullMarked;
