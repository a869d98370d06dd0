package io.attach.sample;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the sample application's public API.
 *
 * @param maxRequestBody largest request body accepted; a larger one is answered 413 without being read
 * @param signups limit on sign-ups, each of which sends a mail
 * @param avatars limits on users' avatars
 * @author attach
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("16KB") DataSize maxRequestBody, @DefaultValue Signups signups,
		@DefaultValue Avatars avatars) {

	/**
	 * Limit on sign-ups, across all clients, so that the API cannot be used to send mail in bulk.
	 *
	 * @param limit sign-ups accepted per period; more are answered 429 with Retry-After
	 * @param period length of the period after which the limit starts afresh
	 */
	public record Signups(@DefaultValue("20") int limit, @DefaultValue("1m") Duration period) {

	}

	/**
	 * Limits on users' avatars, which are uploaded as raw image bodies outside {@code max-request-body}.
	 *
	 * @param maxSize largest avatar accepted; a larger one is answered 413 and nothing of it is kept
	 * @param contentTypes image types accepted; others are answered 415
	 * @param linkExpiry how long a presigned avatar link works
	 */
	public record Avatars(@DefaultValue("1MB") DataSize maxSize,
			@DefaultValue({ "image/png", "image/jpeg", "image/gif", "image/webp" }) List<String> contentTypes,
			@DefaultValue("15m") Duration linkExpiry) {

	}

}
