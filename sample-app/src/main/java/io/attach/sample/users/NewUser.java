package io.attach.sample.users;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of a request to create a user.
 *
 * @param name the display name: no control, line-separator or bidirectional-override character, which would forge
 * log lines and mail headers or disguise the text; no unpaired surrogate, which the database cannot store
 * @param email the e-mail address
 * @author attach
 */
public record NewUser(
		@NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cc}\\p{Cs}\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]*",
				message = "must not contain control characters") String name,
		@NotNull @MailAddress String email) {

}
