package io.attach.sample.users;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The user-profile API.
 *
 * @author attach
 */
@RestController
@RequestMapping("/api/users")
class UserController {

	private final UserService users;

	private final SignupLimit signupLimit;

	UserController(UserService users, SignupLimit signupLimit) {
		this.users = users;
		this.signupLimit = signupLimit;
	}

	@PostMapping
	ResponseEntity<User> create(@Valid @RequestBody NewUser user) {
		// After validation, so that a rejected request does not take a sign-up from anyone.
		this.signupLimit.acquire();
		User saved = this.users.create(user);
		return ResponseEntity.created(URI.create("/api/users/" + saved.id())).body(saved);
	}

	@GetMapping("/{id}")
	User get(@PathVariable long id) {
		return this.users.find(id).orElseThrow(() -> notFound(id));
	}

	@PutMapping("/{id}")
	User update(@PathVariable long id, @Valid @RequestBody NewUser user) {
		if (!this.users.update(id, user)) {
			throw notFound(id);
		}
		return new User(id, user.name(), user.email());
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable long id) {
		if (!this.users.delete(id)) {
			throw notFound(id);
		}
		return ResponseEntity.noContent().build();
	}

	private static ResponseStatusException notFound(long id) {
		return new ResponseStatusException(HttpStatus.NOT_FOUND, "No user with id " + id);
	}

}
