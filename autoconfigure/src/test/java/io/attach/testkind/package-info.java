/**
 * A resource kind defined only in tests, through its descriptor and this package.
 */
@NullMarked
package io.attach.testkind;

import org.jspecify.annotations.NullMarked;
