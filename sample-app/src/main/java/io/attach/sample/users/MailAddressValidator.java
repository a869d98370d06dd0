package io.attach.sample.users;

import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Validates {@link MailAddress}: RFC 5321 limits, the dot-atom form of RFC 5322 and a host name for the domain,
 * then a strict parse by Jakarta Mail, which sends it.
 *
 * @author attach
 */
class MailAddressValidator implements ConstraintValidator<MailAddress, String> {

	private static final String ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";

	private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

	private static final Pattern ADDRESS = Pattern
		.compile("(" + ATOM + "(?:\\." + ATOM + ")*)@((?:" + LABEL + "\\.)+(?=[A-Za-z0-9-]*[A-Za-z])" + LABEL + ")");

	@Override
	public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
		if (value == null) {
			return true;
		}
		if (value.length() > 254 || !ADDRESS.matcher(value).matches() || value.indexOf('@') > 64) {
			return false;
		}
		try {
			InternetAddress address = new InternetAddress(value, true);
			address.validate();
			return value.equals(address.getAddress()) && address.getPersonal() == null;
		}
		catch (AddressException ex) {
			return false;
		}
	}

}
