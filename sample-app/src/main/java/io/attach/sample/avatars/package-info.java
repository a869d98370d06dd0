/**
 * Users' avatars, kept in the attached file storage.
 */
@NullMarked
package io.attach.sample.avatars;

import org.jspecify.annotations.NullMarked;
