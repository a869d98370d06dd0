package io.attach.messaging;

import java.util.regex.Pattern;

/**
 * The grammar of topic and group names, the same on every backend so that a name valid in development is valid in
 * production.
 *
 * @author attach
 */
final class Topics {

	// Letters, digits, '.', '-' and '_': safe as a RabbitMQ routing key, queue name part and metric tag.
	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

	private Topics() {
	}

	static String check(String topic) {
		return check("topic", topic);
	}

	static String checkGroup(String group) {
		return check("group", group);
	}

	private static String check(String what, String name) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Invalid " + what + " name '" + name
					+ "': use 1 to 200 letters, digits, '.', '-' or '_', starting with a letter or digit");
		}
		return name;
	}

}
