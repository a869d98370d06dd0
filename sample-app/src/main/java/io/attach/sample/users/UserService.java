package io.attach.sample.users;

import java.time.Instant;
import java.util.Optional;

import io.attach.messaging.MessagePublisher;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * User profiles, read through the attached cache; new users get a welcome mail and are announced on
 * {@value UserCreated#TOPIC}.
 *
 * @author attach
 */
@Service
public class UserService {

	static final String CACHE = "users";

	private final UserRepository users;

	private final WelcomeMail welcomeMail;

	private final MessagePublisher messages;

	UserService(UserRepository users, WelcomeMail welcomeMail, MessagePublisher messages) {
		this.users = users;
		this.welcomeMail = welcomeMail;
		this.messages = messages;
	}

	/**
	 * Creates a user, queues the welcome mail and publishes {@link UserCreated} in the same transaction: all commit,
	 * or none; neither the mail server nor the broker is waited for.
	 * @param user the new user
	 * @return the saved user
	 */
	@Transactional
	public User create(NewUser user) {
		User saved = this.users.save(user);
		this.welcomeMail.send(saved);
		this.messages.publish(UserCreated.TOPIC, new UserCreated(saved.id(), saved.email(), Instant.now()));
		return saved;
	}

	@Cacheable(cacheNames = CACHE, key = "#id", unless = "#result == null")
	public Optional<User> find(long id) {
		return this.users.findById(id);
	}

	@CacheEvict(cacheNames = CACHE, key = "#id")
	public boolean update(long id, NewUser user) {
		return this.users.update(id, user);
	}

	@CacheEvict(cacheNames = CACHE, key = "#id")
	public boolean delete(long id) {
		return this.users.delete(id);
	}

}
