package io.attach.sample.events;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The event-log API: the events the subscriber handled, newest first.
 *
 * @author attach
 */
@RestController
@RequestMapping("/api/events")
class EventController {

	/**
	 * The most events one request returns.
	 */
	static final int MAX_LIMIT = 1000;

	private final EventLog log;

	EventController(EventLog log) {
		this.log = log;
	}

	// Spring MVC validates the constraints itself and answers a violation with a 400 problem detail.
	@GetMapping
	List<HandledEvent> list(@RequestParam(defaultValue = "20") @Min(1) @Max(MAX_LIMIT) int limit) {
		return this.log.newest(limit);
	}

}
