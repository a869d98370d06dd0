package io.attach.sample.web;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers a request body or parameter that fails validation with a problem detail naming each invalid field and why,
 * so that a client can fix its request; the rejected values are never echoed.
 *
 * @author attach
 */
@RestControllerAdvice
class InvalidRequestProblems extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(InvalidRequestProblems::describe)
			.toList();
		ProblemDetail problem = ex.getBody();
		problem.setDetail("Invalid request content: " + String.join("; ",
				errors.stream().map((error) -> error.get("field") + " " + error.get("message")).toList()) + ".");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	// Request parameters such as ?limit=0 are validated on the method, not bound to an object with field errors.
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getParameterValidationResults()
			.stream()
			.flatMap((result) -> result.getResolvableErrors()
				.stream()
				.map((error) -> Map.of("field", String.valueOf(result.getMethodParameter().getParameterName()),
						"message", (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid")))
			.toList();
		ProblemDetail problem = ex.getBody();
		problem.setDetail("Invalid request: " + String.join("; ",
				errors.stream().map((error) -> error.get("field") + " " + error.get("message")).toList()) + ".");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	private static Map<String, String> describe(FieldError error) {
		String message = (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
		return Map.of("field", error.getField(), "message", message);
	}

}
