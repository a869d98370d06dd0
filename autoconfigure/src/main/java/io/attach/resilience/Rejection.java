package io.attach.resilience;

import java.time.Duration;

import io.attach.core.AttachedResource;

/**
 * Why a {@link ResourceGuard} refused a call without making it, and when a retry may succeed.
 *
 * @param resource the resource the call was for
 * @param reason what refused it, in words an operator can act on; never the resource's URL
 * @param retryAfter when a retry may succeed, at least one second
 * @author attach
 */
public record Rejection(AttachedResource resource, String reason, Duration retryAfter) {

	/**
	 * Returns a message naming the resource, the reason and the time to retry.
	 * @return the message
	 */
	public String message() {
		return this.resource.name() + " (" + this.resource.kind().id() + ") is not called: " + this.reason
				+ "; retry in " + this.retryAfter.toSeconds() + " s";
	}

}
