package io.attach.sample.users;

import java.util.Optional;

import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * User profiles, read through the attached cache.
 *
 * @author attach
 */
@Service
public class UserService {

	static final String CACHE = "users";

	private final UserRepository users;

	UserService(UserRepository users) {
		this.users = users;
	}

	User create(NewUser user) {
		return this.users.save(user);
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
