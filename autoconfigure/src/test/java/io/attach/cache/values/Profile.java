package io.attach.cache.values;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A typical cached value of an application's own package: a record of JDK value types, collections and a class.
 *
 * @param id the id
 * @param name the name
 * @param tags the tags
 * @param scores the scores by name
 * @param balance the balance
 * @param created when it was created
 * @param address the address
 * @author attach
 */
public record Profile(long id, String name, List<String> tags, Map<String, Integer> scores, BigDecimal balance,
		Instant created, Address address) implements Serializable {

}
