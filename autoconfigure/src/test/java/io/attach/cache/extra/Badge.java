package io.attach.cache.extra;

import java.io.Serializable;

/**
 * A cached value of a library's package, outside the application's own.
 *
 * @param label the label
 * @author attach
 */
public record Badge(String label) implements Serializable {

}
