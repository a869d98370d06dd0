package io.attach.sample.avatars;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Map;

import io.attach.sample.SampleProperties;
import io.attach.sample.users.UserService;
import io.attach.storage.FileStorage;
import io.attach.storage.PutOptions;
import io.attach.storage.StorageFileNotFoundException;
import io.attach.storage.StoredFile;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Users' avatars: uploaded as a raw image body, streamed back with their content type, and shared by a presigned link
 * that works on every storage backend.
 *
 * @author attach
 */
@RestController
@RequestMapping("/api/users/{id}/avatar")
class AvatarController {

	private final FileStorage storage;

	private final UserService users;

	private final SampleProperties.Avatars settings;

	AvatarController(FileStorage storage, UserService users, SampleProperties properties) {
		this.storage = storage;
		this.users = users;
		this.settings = properties.avatars();
	}

	@PutMapping
	ResponseEntity<Void> upload(@PathVariable long id,
			@RequestHeader(name = "Content-Type", required = false) String contentType, HttpServletRequest request)
			throws IOException {
		MediaType type = imageType(contentType);
		requireUser(id);
		long maxBytes = this.settings.maxSize().toBytes();
		// Refused before a byte is read; a body of unknown length is cut off by the limit while it streams.
		if (request.getContentLengthLong() > maxBytes) {
			throw new AvatarTooLargeException(maxBytes);
		}
		try (InputStream body = new SizeLimitedInputStream(request.getInputStream(), maxBytes)) {
			this.storage.put(key(id), body, PutOptions.defaults().withContentType(type.toString()));
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping
	ResponseEntity<InputStreamResource> download(@PathVariable long id) {
		StoredFile avatar = stat(id);
		InputStream content;
		try {
			content = this.storage.open(avatar.key());
		}
		catch (StorageFileNotFoundException ex) {
			// Deleted between the two calls: as if it had been before the first.
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "User " + id + " has no avatar");
		}
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(avatar.contentType()))
			.contentLength(avatar.size())
			.lastModified(avatar.lastModified())
			.header("X-Content-Type-Options", "nosniff")
			.body(new InputStreamResource(content));
	}

	@DeleteMapping
	ResponseEntity<Void> delete(@PathVariable long id) {
		requireUser(id);
		this.storage.delete(key(id));
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/link")
	Map<String, Object> link(@PathVariable long id) {
		StoredFile avatar = stat(id);
		Instant expiresAt = Instant.now().plus(this.settings.linkExpiry());
		return Map.of("url", this.storage.presignGet(avatar.key(), this.settings.linkExpiry()).toString(), "expiresAt",
				expiresAt.toString());
	}

	private StoredFile stat(long id) {
		requireUser(id);
		try {
			return this.storage.stat(key(id));
		}
		catch (StorageFileNotFoundException ex) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "User " + id + " has no avatar");
		}
	}

	private void requireUser(long id) {
		if (this.users.find(id).isEmpty()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No user with id " + id);
		}
	}

	private MediaType imageType(String contentType) {
		MediaType type;
		try {
			type = MediaType.parseMediaType((contentType != null) ? contentType : "");
		}
		catch (IllegalArgumentException ex) {
			type = MediaType.APPLICATION_OCTET_STREAM;
		}
		if (!this.settings.contentTypes().contains(type.getType() + "/" + type.getSubtype())) {
			throw new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"An avatar is one of " + this.settings.contentTypes());
		}
		return new MediaType(type.getType(), type.getSubtype());
	}

	static String key(long id) {
		return "avatars/" + id;
	}

}
