/**
 * Spring's cache abstraction on the attached Redis, degrading to the source of truth when Redis fails, and in
 * memory when no cache is attached.
 */
@NullMarked
package io.attach.cache;

import org.jspecify.annotations.NullMarked;
