/**
 * Protections of the sample's public API that apply to every request.
 */
@NullMarked
package io.attach.sample.web;

import org.jspecify.annotations.NullMarked;
