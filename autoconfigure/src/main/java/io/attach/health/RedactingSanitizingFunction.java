package io.attach.health;

import io.attach.core.UrlRedactor;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Hides credentials from {@code env} and {@code configprops} even when their values are shown: the password of any
 * URL-valued property, and any credential-named property such as the pool's {@code password}, which attach set from
 * the URL.
 *
 * @author attach
 */
final class RedactingSanitizingFunction implements SanitizingFunction {

	private static final SanitizingFunction CREDENTIALS = SanitizingFunction.sanitizeValue().ifLikelyCredential();

	@Override
	public SanitizableData apply(SanitizableData data) {
		SanitizableData credential = CREDENTIALS.applyUnlessFiltered(data);
		if (credential != data) {
			return credential;
		}
		// The key decides what the user info holds: DATABASE_URL shows its user name, an unknown key shows none.
		if (data.getValue() instanceof CharSequence value && UrlRedactor.hasSecrets(data.getKey(), value.toString())) {
			return data.withValue(UrlRedactor.redact(data.getKey(), value.toString()));
		}
		return data;
	}

}
