package io.attach.health;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.health.contributor.Health;

/**
 * The outcome of one health check of an attached resource.
 *
 * @param health the health found, DOWN when the check timed out
 * @param checkedAt when the check started
 * @param latency how long the check took, or how long it had run when it timed out
 * @author attach
 */
public record HealthSnapshot(Health health, Instant checkedAt, Duration latency) {

}
