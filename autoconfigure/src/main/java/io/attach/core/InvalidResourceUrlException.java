package io.attach.core;

/**
 * Thrown when a backing-service URL cannot be used; its message names the setting and never holds the password.
 *
 * @author attach
 */
public class InvalidResourceUrlException extends RuntimeException {

	private final String setting;

	private final String redactedUrl;

	private final String problem;

	private final String action;

	/**
	 * Creates a new exception.
	 * @param setting the variable or property the URL came from, such as {@code DATABASE_URL}
	 * @param url the URL as given; only its redacted form is kept
	 * @param problem what is wrong, as a sentence fragment
	 * @param action what to do about it
	 */
	public InvalidResourceUrlException(String setting, String url, String problem, String action) {
		super(setting + " (" + UrlRedactor.redact(setting, url) + ") " + problem);
		this.setting = setting;
		// Redacted by the setting, not the scheme: a lone token in REDIS_URL is a password whatever the scheme says.
		this.redactedUrl = UrlRedactor.redact(setting, url);
		this.problem = problem;
		this.action = action;
	}

	/**
	 * Returns the variable or property the URL came from.
	 * @return the setting name
	 */
	public String getSetting() {
		return this.setting;
	}

	/**
	 * Returns the URL with its password replaced by {@code ****}.
	 * @return the redacted URL
	 */
	public String getRedactedUrl() {
		return this.redactedUrl;
	}

	/**
	 * Returns what is wrong with the URL.
	 * @return the problem
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Returns what the user should do.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
