package io.attach.core;

/**
 * Thrown when a setting other than a URL, such as {@code MAIL_BACKEND}, cannot be used; the message names the
 * setting and never its secret.
 *
 * @author attach
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String setting;

	private final String problem;

	private final String action;

	/**
	 * Creates an exception.
	 * @param setting the variable or property at fault, such as {@code MAIL_BACKEND}
	 * @param problem what is wrong, completing "{setting} …"
	 * @param action what to do about it
	 */
	public InvalidSettingException(String setting, String problem, String action) {
		super(setting + " " + problem + ". " + action);
		this.setting = setting;
		this.problem = problem;
		this.action = action;
	}

	/**
	 * Returns the variable or property at fault.
	 * @return the setting's name
	 */
	public String getSetting() {
		return this.setting;
	}

	/**
	 * Returns what is wrong.
	 * @return the problem, completing "{setting} …"
	 */
	public String getProblem() {
		return this.problem;
	}

	/**
	 * Returns what to do about it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
