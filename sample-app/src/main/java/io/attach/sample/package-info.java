/**
 * The attach sample application.
 */
@NullMarked
package io.attach.sample;

import org.jspecify.annotations.NullMarked;
