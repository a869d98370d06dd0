package io.attach.sample.users;

/**
 * A stored user profile, cached in the attached Redis as JSON.
 *
 * @param id the generated id
 * @param name the display name
 * @param email the e-mail address
 * @author attach
 */
public record User(long id, String name, String email) {

}
