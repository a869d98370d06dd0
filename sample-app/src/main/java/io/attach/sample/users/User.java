package io.attach.sample.users;

import java.io.Serializable;

/**
 * A stored user profile, serializable so that the attached Redis can cache it.
 *
 * @param id the generated id
 * @param name the display name
 * @param email the e-mail address
 * @author attach
 */
public record User(long id, String name, String email) implements Serializable {

}
