/**
 * Time-bounded, cached health checks of attached resources, the readiness group built from them, and
 * {@code /actuator/attachments}.
 */
@NullMarked
package io.attach.health;

import org.jspecify.annotations.NullMarked;
