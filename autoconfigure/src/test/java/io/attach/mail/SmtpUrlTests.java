package io.attach.mail;

import io.attach.core.InvalidResourceUrlException;
import io.attach.core.ResourceUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SmtpUrl}.
 *
 * @author attach
 */
class SmtpUrlTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', nullValues = "-", textBlock = """
			smtp://mail:25 | mail | 25 | - | - | false | false
			smtp://mail | mail | 25 | - | - | false | false
			smtps://mail | mail | 465 | - | - | true | false
			smtp://user:pass@mail:587 | mail | 587 | user | pass | false | true
			smtp://user%40example.com:p%40ss%2Fw+rd@mail:587 | mail | 587 | user@example.com | p@ss/w+rd | false | true
			smtp://apikey:SG.abc-DEF_123.xyz@smtp.sendgrid.net:587 | smtp.sendgrid.net | 587 | apikey | SG.abc-DEF_123.xyz | false | true
			smtp://AKIAEXAMPLE:BAbc%2Bd%2Fef@email-smtp.eu-west-1.amazonaws.com:587?starttls=required | email-smtp.eu-west-1.amazonaws.com | 587 | AKIAEXAMPLE | BAbc+d/ef | false | true
			smtps://AKIAEXAMPLE:secret@email-smtp.us-east-1.amazonaws.com:465 | email-smtp.us-east-1.amazonaws.com | 465 | AKIAEXAMPLE | secret | true | false
			smtp://token-1234:token-1234@smtp.postmarkapp.com:587 | smtp.postmarkapp.com | 587 | token-1234 | token-1234 | false | true
			smtp://mail:587?starttls=optional | mail | 587 | - | - | false | false
			smtp://user@example.com:p@ss@mail:587 | mail | 587 | user@example.com | p@ss | false | true
			smtp://[::1]:2525 | ::1 | 2525 | - | - | false | false
			smtp+ssl://user:pass@smtp.example.com | smtp.example.com | 465 | user | pass | true | false
			smtp+ssl://mail:2465 | mail | 2465 | - | - | true | false
			smtp+tls://mail:587 | mail | 587 | - | - | false | true
			submission://user:pass@smtp.example.com | smtp.example.com | 587 | user | pass | false | true
			submission://mail | mail | 587 | - | - | false | true
			smtp://mail:587?tls=True | mail | 587 | - | - | false | true
			smtp://mail:587?tls=1 | mail | 587 | - | - | false | true
			smtp://mail:465?ssl=True | mail | 465 | - | - | true | false
			smtp://mail?ssl=true | mail | 465 | - | - | true | false
			smtp://mail:25?tls=False&ssl=False | mail | 25 | - | - | false | false
			smtps://user@domain.com:password@smtp.example.com:587 | smtp.example.com | 587 | user@domain.com | password | false | true
			smtps://mail:587?ssl=true | mail | 587 | - | - | true | false
			submit://user:pass@smtp.example.com | smtp.example.com | 587 | user | pass | false | true
			smtp://user:pass@smtp.example.com:587?tls=required | smtp.example.com | 587 | user | pass | false | true
			smtp://mail:2525?tls=opportunistic | mail | 2525 | - | - | false | false
			smtp://usr:pwd@mail:465 | mail | 465 | usr | pwd | true | false
			smtp://usr:pwd@mail:465?ssl=false | mail | 465 | usr | pwd | false | true
			smtps://müller.example | xn--mller-kva.example | 465 | - | - | true | false
			""")
	void whenUrlIsSupportedThenPartsAreRead(String value, String host, int port, String username, String password,
			boolean implicitTls, boolean startTlsRequired) {
		SmtpUrl url = of(value);
		assertThat(url.host()).isEqualTo(host);
		assertThat(url.port()).isEqualTo(port);
		assertThat(url.username()).isEqualTo(username);
		assertThat(url.password()).isEqualTo(password);
		assertThat(url.implicitTls()).isEqualTo(implicitTls);
		assertThat(url.protocol()).isEqualTo(implicitTls ? "smtps" : "smtp");
		assertThat(url.startTlsRequired()).isEqualTo(startTlsRequired);
		assertThat(url.clearTextCredentialsAllowed()).isFalse();
		assertThat(url.verifyPeer()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			smtp://user:pass@mail:587 | true | false
			smtp://user:pass@mail:587?starttls=required | true | false
			smtp://user:pass@mail:587?starttls=optional | false | true
			smtp://user:pass@mail:587?starttls=OPTIONAL | false | true
			smtp://mail:587 | false | false
			smtp://mail:587?starttls=optional | false | false
			smtps://user:pass@mail?starttls=optional | false | false
			smtp://user:pass@mail:587?tls=opportunistic | false | true
			""")
	void whenUrlHasCredentialsThenStartTlsIsRequiredUnlessTheUrlAllowsClearText(String value,
			boolean startTlsRequired, boolean clearTextCredentialsAllowed) {
		SmtpUrl url = of(value);
		assertThat(url.startTlsRequired()).isEqualTo(startTlsRequired);
		assertThat(url.clearTextCredentialsAllowed()).isEqualTo(clearTextCredentialsAllowed);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			smtps://mail?ssl_cert_reqs=none
			smtp://mail:587?verifyPeer=false
			smtp://user:pass@smtp.example.com:587?verify_peer=0
			""")
	void whenUrlOptsOutOfCertificateVerificationThenItIsOff(String value) {
		assertThat(of(value).verifyPeer()).isFalse();
	}

	@Test
	void whenUrlIsLoggedThenCredentialsAreNotShown() {
		assertThat(of("smtp://apikey:canary@mail:587")).hasToString("SmtpUrl[smtp://mail:587]");
		assertThat(ResourceUrl.of("SMTP_URL", "smtp://apikey:canary@mail:587").redacted())
			.isEqualTo("smtp://apikey:****@mail:587");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			no host                 | smtp://u:canary@                          | has no host
			opaque                  | smtp:mail                                 | has no host
			several hosts           | smtp://u:canary@m1,m2:25                  | one network host
			path                    | smtp://u:canary@mail:25/inbox             | has a path
			user without password   | smtp://canary@mail:25                     | user name but no password
			starttls on smtps       | smtps://u:canary@mail?starttls=required   | starts with TLS already
			unknown starttls        | smtp://u:canary@mail?starttls=always      | neither 'required' nor 'optional'
			raw slash in password   | smtp://u:can/ary@mail:587                 | unencoded '/'
			tls and ssl             | smtp://u:canary@mail?tls=True&ssl=True    | starts with TLS already
			tls on smtps            | smtps://u:canary@mail?tls=true            | starts with TLS already
			tls neither             | smtp://u:canary@mail?tls=yes              | tls=yes, which is neither true nor false
			ssl neither             | smtp://u:canary@mail?ssl=on               | ssl=on, which is neither true nor false
			submission optional     | submission://u:canary@mail?starttls=optional | has starttls=optional
			nodemailer requireTLS   | smtp://u:canary@mail?requireTLS=true      | the TLS parameter 'requireTLS', which attach does not read
			symfony require_tls     | smtp://mail?require_tls=true              | the TLS parameter 'require_tls'
			nodemailer secure       | smtp://u:canary@mail:465?secure=true      | the TLS parameter 'secure'
			lettre and starttls disagree | smtp://u:canary@mail:587?tls=opportunistic&starttls=required | has tls=opportunistic and starttls=required
			""")
	void whenUrlIsUnusableThenErrorNamesVariableAndHidesPassword(String description, String value, String problem) {
		assertThatExceptionOfType(InvalidResourceUrlException.class).isThrownBy(() -> of(value)).satisfies((ex) -> {
			assertThat(ex.getMessage()).startsWith("SMTP_URL").contains(problem).doesNotContain("canary");
			assertThat(ex.getAction()).doesNotContain("canary");
		});
	}

	private static SmtpUrl of(String value) {
		return SmtpUrl.of(ResourceUrl.of("SMTP_URL", value));
	}

}
