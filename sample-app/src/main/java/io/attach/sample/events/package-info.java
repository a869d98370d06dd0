/**
 * The event log: what the sample's subscriber to {@code user.created} handled, readable through the API.
 */
@NullMarked
package io.attach.sample.events;

import org.jspecify.annotations.NullMarked;
