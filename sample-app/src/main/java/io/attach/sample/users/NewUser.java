package io.attach.sample.users;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of a request to create a user.
 *
 * @param name the display name
 * @param email the e-mail address
 * @author attach
 */
public record NewUser(@NotBlank @Size(max = 100) String name, @NotBlank @Email @Size(max = 255) String email) {

}
