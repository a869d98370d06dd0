package io.attach.core;

/**
 * How an attached resource's health counts towards the application's readiness.
 *
 * @author attach
 */
public enum ReadinessRole {

	/**
	 * A failure makes the application not ready.
	 */
	REQUIRED,

	/**
	 * Reported in health and attachments, but never fails readiness: the application degrades instead.
	 */
	DEGRADABLE,

	/**
	 * Never checked: its health is UNKNOWN and it takes no part in readiness.
	 */
	IGNORED

}
