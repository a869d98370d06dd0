package io.attach.mail;

import java.util.stream.Stream;

import io.attach.core.InvalidResourceUrlException;
import io.attach.kind.UrlConformanceTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads real {@code SMTP_URL}s, copied from the test suites and documentation of the libraries that write them
 * ({@code smtp-urls.tsv}, source named per row), and checks that each means to attach what it means to its source,
 * or differs as the row says and why, or is refused with the row's error.
 *
 * @author attach
 */
class SmtpUrlConformanceTests {

	static Stream<UrlConformanceTable.Row> rows() {
		return UrlConformanceTable.read("/io/attach/mail/smtp-urls.tsv").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void whenARealUrlIsReadThenItMeansWhatTheRowSays(UrlConformanceTable.Row row) {
		row.check(reading(row.url()));
	}

	/**
	 * Reads a URL as an application would, from {@code SMTP_URL}: host, port, user, password and TLS
	 * ({@code implicit}, {@code starttls-required}, {@code starttls-opportunistic}; {@code +no-verify} when the
	 * server's certificate is not checked).
	 * @param value the URL
	 * @return the reading
	 */
	static UrlConformanceTable.Reading reading(String value) {
		try {
			SmtpUrl url = SmtpUrl.of(UrlConformanceTable.attach("SMTP_URL", value));
			String tls = (url.implicitTls() ? "implicit"
					: url.startTlsRequired() ? "starttls-required" : "starttls-opportunistic")
					+ (url.verifyPeer() ? "" : "+no-verify");
			return new UrlConformanceTable.Reading(url.host(), String.valueOf(url.port()), "", url.username(),
					url.password(), tls);
		}
		catch (InvalidResourceUrlException ex) {
			return UrlConformanceTable.Reading.refused(ex.getProblem());
		}
	}

}
