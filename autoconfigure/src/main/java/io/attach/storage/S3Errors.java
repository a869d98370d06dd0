package io.attach.storage;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the AWS SDK's exceptions into {@link StorageException}s: a missing object, a failed condition, a store that
 * cannot be reached (after the SDK's retries), or what the store answered, by status and S3 error code.
 *
 * @author attach
 */
final class S3Errors {

	private S3Errors() {
	}

	/**
	 * Translates an exception of a call about a key.
	 * @param ex the SDK's exception
	 * @param operation the S3 operation, such as {@code PutObject}
	 * @param target the bucket
	 * @param key the key the caller named, or {@code null} for a call about the bucket
	 * @return the storage exception
	 */
	static StorageException translate(SdkException ex, String operation, S3Target target, @Nullable String key) {
		String what = operation + ((key != null) ? " of '" + key + "'" : "") + " in bucket '" + target.bucket() + "'";
		if (ex instanceof AwsServiceException service) {
			int status = service.statusCode();
			String code = errorCode(service);
			// A HEAD answer has no body, hence no code; NoSuchBucket and NoSuchUpload are not about the file.
			if (status == 404 && key != null && (code == null || "NoSuchKey".equals(code) || "NotFound".equals(code))) {
				return new StorageFileNotFoundException("No file '" + key + "' in bucket '" + target.bucket() + "'",
						ex);
			}
			if (status == 412) {
				return new StorageFileExistsException("A file '" + key + "' already exists in bucket '"
						+ target.bucket() + "'", ex);
			}
			String answer = what + " failed: the store answered " + status + ((code != null) ? " " + code : "")
					+ message(service);
			// 5xx and throttling remain after the SDK's retries; AWS answers 409 to concurrent conditional writes.
			if (status >= 500 || status == 429 || "SlowDown".equals(code) || "ConditionalRequestConflict".equals(code)) {
				return new StorageUnavailableException(answer + "; try again later", ex);
			}
			return new StorageException(answer, ex);
		}
		if (ex instanceof SdkClientException && isMissingCredentials(ex)) {
			// Configuration, not an outage: retrying cannot help, and the SDK's message says which sources it tried.
			return new StorageException(what + " failed: no AWS credentials were found for the bucket '"
					+ target.bucket() + "' of " + target.setting() + " (put them in its user info, or give the SDK's"
					+ " default chain some): " + ex.getMessage(), ex);
		}
		if (ex instanceof SdkClientException) {
			// Refused, reset, timed out (ApiCallTimeoutException and ApiCallAttemptTimeoutException are client
			// exceptions too): the store could not be reached. The SDK's message names no secret.
			return new StorageUnavailableException(what + " failed: the store could not be reached ("
					+ ex.getClass().getSimpleName() + ": " + ex.getMessage() + ")", ex);
		}
		return new StorageException(what + " failed", ex);
	}

	// The SDK has no type of its own for it: every credentials provider that gives up says so in these words.
	private static boolean isMissingCredentials(SdkException ex) {
		String message = ex.getMessage();
		return message != null && message.startsWith("Unable to load credentials");
	}

	static boolean isStatus(SdkException ex, int status) {
		return ex instanceof AwsServiceException service && service.statusCode() == status;
	}

	static @Nullable String errorCode(AwsServiceException ex) {
		AwsErrorDetails details = ex.awsErrorDetails();
		return (details != null) ? details.errorCode() : null;
	}

	private static String message(AwsServiceException ex) {
		AwsErrorDetails details = ex.awsErrorDetails();
		String message = (details != null) ? details.errorMessage() : null;
		return (message != null && !message.isBlank()) ? " (" + message + ")" : "";
	}

}
