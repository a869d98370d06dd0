package io.attach.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the sample application's public API.
 *
 * @param maxRequestBody largest request body accepted; a larger one is answered 413 without being read
 * @param signups limit on sign-ups, each of which sends a mail
 * @author attach
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue("16KB") DataSize maxRequestBody, @DefaultValue Signups signups) {

	/**
	 * Limit on sign-ups, across all clients, so that the API cannot be used to send mail in bulk.
	 *
	 * @param limit sign-ups accepted per period; more are answered 429 with Retry-After
	 * @param period length of the period after which the limit starts afresh
	 */
	public record Signups(@DefaultValue("20") int limit, @DefaultValue("1m") Duration period) {

	}

}
