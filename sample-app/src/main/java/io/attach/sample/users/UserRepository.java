package io.attach.sample.users;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * Stores users in whatever database {@code DATABASE_URL} attaches.
 *
 * @author attach
 */
@Repository
public class UserRepository {

	private final JdbcClient jdbc;

	UserRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	User save(NewUser user) {
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("INSERT INTO users (name, email) VALUES (:name, :email)")
			.param("name", user.name())
			.param("email", user.email())
			.update(keys, "id");
		Number id = keys.getKeyAs(Number.class);
		if (id == null) {
			throw new IllegalStateException("The database returned no id for the new user");
		}
		return new User(id.longValue(), user.name(), user.email());
	}

	boolean update(long id, NewUser user) {
		return this.jdbc.sql("UPDATE users SET name = :name, email = :email WHERE id = :id")
			.param("id", id)
			.param("name", user.name())
			.param("email", user.email())
			.update() == 1;
	}

	boolean delete(long id) {
		return this.jdbc.sql("DELETE FROM users WHERE id = :id").param("id", id).update() == 1;
	}

	Optional<User> findById(long id) {
		return this.jdbc.sql("SELECT id, name, email FROM users WHERE id = :id")
			.param("id", id)
			.query(User.class)
			.optional();
	}

}
