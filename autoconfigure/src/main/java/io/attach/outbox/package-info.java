/**
 * A durable local queue for work that must reach a backing service, and the relay that delivers it.
 */
@NullMarked
package io.attach.outbox;

import org.jspecify.annotations.NullMarked;
