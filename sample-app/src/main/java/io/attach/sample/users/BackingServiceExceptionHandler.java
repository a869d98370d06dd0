package io.attach.sample.users;

import io.attach.jdbc.DatabaseUnavailableException;

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
 * Tells the client that the database is unreachable and that a retry may succeed, instead of a generic 500; when
 * attach refused the call without waiting, {@code Retry-After} says when.
 *
 * @author attach
 */
@RestControllerAdvice
class BackingServiceExceptionHandler {

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

}
