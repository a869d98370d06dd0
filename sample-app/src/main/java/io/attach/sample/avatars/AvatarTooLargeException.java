package io.attach.sample.avatars;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * An avatar upload is larger than {@code sample.avatars.max-size}: answered 413.
 *
 * @author attach
 */
class AvatarTooLargeException extends ResponseStatusException {

	AvatarTooLargeException(long maxBytes) {
		super(HttpStatus.CONTENT_TOO_LARGE, "An avatar is at most " + maxBytes + " bytes");
	}

}
