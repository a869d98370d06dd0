/**
 * User profiles: the sample's one resource.
 */
@NullMarked
package io.attach.sample.users;

import org.jspecify.annotations.NullMarked;
