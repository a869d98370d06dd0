package io.attach.sample.users;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Tells the client that the database is unreachable and that a retry may succeed, instead of a generic 500.
 *
 * @author attach
 */
@RestControllerAdvice
class BackingServiceExceptionHandler {

	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class })
	ProblemDetail databaseUnavailable() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The database is unavailable. Try again shortly.");
		problem.setTitle("Database unavailable");
		return problem;
	}

}
