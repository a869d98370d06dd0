package io.attach.sample.users;

import java.net.URI;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
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

	private final UserRepository users;

	UserController(UserRepository users) {
		this.users = users;
	}

	@PostMapping
	ResponseEntity<User> create(@Valid @RequestBody NewUser user) {
		User saved = this.users.save(user);
		return ResponseEntity.created(URI.create("/api/users/" + saved.id())).body(saved);
	}

	@GetMapping("/{id}")
	User get(@PathVariable long id) {
		return this.users.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No user with id " + id));
	}

}
