/**
 * The attached-resource model: URL parsing, redaction, readiness roles and the failures that stop startup.
 */
@NullMarked
package io.attach.core;

import org.jspecify.annotations.NullMarked;
