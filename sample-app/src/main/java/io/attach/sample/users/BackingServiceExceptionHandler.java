package io.attach.sample.users;

import java.time.Duration;

import io.attach.jdbc.DatabaseUnavailableException;
import io.attach.storage.StorageUnavailableException;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Tells the client that the database or file storage is unreachable and that a retry may succeed, instead of a
 * generic 500; when attach refused the call without waiting, {@code Retry-After} says when.
 *
 * @author attach
 */
@RestControllerAdvice
class BackingServiceExceptionHandler {

	private static final Duration STORAGE_RETRY_AFTER = Duration.ofSeconds(5);

	// A transaction that cannot get its connection fails before any data access, with Spring's transaction exception.
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class,
			CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is unavailable. Try again shortly.");
		problem.setTitle("Database unavailable");
		ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE);
		if (NestedExceptionUtils.getRootCause(ex) instanceof DatabaseUnavailableException unavailable) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(unavailable.getRetryAfter().toSeconds()));
		}
		return response.body(problem);
	}

	@ExceptionHandler(StorageUnavailableException.class)
	ResponseEntity<ProblemDetail> storageUnavailable(StorageUnavailableException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"File storage is unavailable. Try again shortly.");
		problem.setTitle("Storage unavailable");
		// When the breaker refused the call it knows when to retry; else a short wait, as the store just failed.
		Duration retryAfter = ex.getRetryAfter().orElse(STORAGE_RETRY_AFTER);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())))
			.body(problem);
	}

}
