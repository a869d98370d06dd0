package io.attach.sample.users;

import java.time.Duration;

import io.attach.sample.SampleProperties;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

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

	private final AtomicRateLimiter limiter;

	SignupLimit(SampleProperties properties) {
		this.limiter = new AtomicRateLimiter("signups",
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
			long seconds = Math.max(1, Duration.ofNanos(this.limiter.getDetailedMetrics().getNanosToWait())
				.plusMillis(999)
				.toSeconds());
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
					"Too many sign-ups. Try again in " + seconds + " seconds.");
			ErrorResponseException exception = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
			exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
			throw exception;
		}
	}

}
