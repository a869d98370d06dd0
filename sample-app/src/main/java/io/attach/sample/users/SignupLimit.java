package io.attach.sample.users;

import java.time.Duration;

import io.attach.sample.SampleProperties;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Limits sign-ups, each of which sends a mail to an address the client chose, to {@code sample.signups.limit} per
 * {@code sample.signups.period} across all clients: the most mail the API can be made to send.
 *
 * @author attach
 */
@Component
class SignupLimit {

	private final RateLimiter limiter;

	private final long periodNanos;

	// Resilience4j's limiter refreshes its permits in cycles counted from its creation; the time to the next cycle is
	// what a refused client has to wait, and its public API does not tell it.
	private final long createdAt;

	SignupLimit(SampleProperties properties) {
		this.periodNanos = properties.signups().period().toNanos();
		this.createdAt = System.nanoTime();
		this.limiter = RateLimiter.of("signups",
				RateLimiterConfig.custom()
					.limitForPeriod(properties.signups().limit())
					.limitRefreshPeriod(properties.signups().period())
					.timeoutDuration(Duration.ZERO)
					.build());
	}

	/**
	 * Takes one sign-up from the limit.
	 * @throws ErrorResponseException answered 429 with Retry-After when the limit is reached
	 */
	void acquire() {
		if (!this.limiter.acquirePermission()) {
			long nanosToWait = this.periodNanos - Math.floorMod(System.nanoTime() - this.createdAt, this.periodNanos);
			long seconds = Math.max(1, Duration.ofNanos(nanosToWait).plusMillis(999).toSeconds());
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
					"Too many sign-ups. Try again in " + seconds + " seconds.");
			ErrorResponseException exception = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
			exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			throw exception;
		}
	}

}
