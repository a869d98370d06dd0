/**
 * Circuit breakers for attached resources, through Spring Cloud CircuitBreaker backed by Resilience4j.
 */
@NullMarked
package io.attach.resilience;

import org.jspecify.annotations.NullMarked;
