package io.attach.sample.users;

import java.util.Optional;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * User profiles, read through the attached cache; new users get a welcome mail.
 *
 * @author attach
 */
@Service
public class UserService {

	static final String CACHE = "users";

	private final UserRepository users;

	private final WelcomeMail welcomeMail;

	UserService(UserRepository users, WelcomeMail welcomeMail) {
		this.users = users;
		this.welcomeMail = welcomeMail;
	}

	/**
	 * Creates a user and queues the welcome mail in the same transaction: both commit, or neither.
	 * @param user the new user
	 * @return the saved user
	 */
	@Transactional
	public User create(NewUser user) {
		User saved = this.users.save(user);
		this.welcomeMail.send(saved);
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
