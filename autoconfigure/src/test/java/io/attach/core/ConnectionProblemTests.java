package io.attach.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionProblem}, with the exceptions the JDK's own clients throw.
 *
 * @author attach
 */
class ConnectionProblemTests {

	@Test
	void whenConnectionIsRefusedThenNothingListensOnTheServer() {
		assertThat(read(new IOException("wrapped", new ConnectException("Connection refused"))))
			.isEqualTo("connection refused: nothing listens on db:5432");
	}

	@Test
	void whenHostIsUnknownThenItsNameDoesNotResolve() {
		assertThat(read(new UnknownHostException("db"))).isEqualTo("the host name of db:5432 does not resolve");
	}

	@Test
	void whenServerAnswersInPlainTextOnTlsThenThatIsSaid() {
		SSLException plainText = new SSLException(
				"Unsupported or unrecognized SSL message", new IOException("plain"));
		assertThat(read(new IllegalStateException("Unable to connect", plainText)))
			.isEqualTo(ConnectionProblem.PLAIN_TEXT_ON_TLS + " (db:5432)");
	}

	@Test
	void whenNettySaysTheRecordIsNotTlsThenServerAnsweredInPlainText() {
		assertThat(read(new NotSslRecordException("not an SSL/TLS record: 2d4552520d0a")))
			.startsWith(ConnectionProblem.PLAIN_TEXT_ON_TLS);
	}

	@Test
	void whenCertificateIsNotTrustedThenThatIsSaid() {
		SSLHandshakeException handshake = new SSLHandshakeException("PKIX path building failed");
		handshake.initCause(new CertificateException("unable to find valid certification path"));
		assertThat(read(handshake)).isEqualTo("the certificate of db:5432 is not trusted or does not name the host");
	}

	@Test
	void whenNoAnswerComesInTimeThenThatIsSaid() {
		assertThat(read(new IOException("The connection attempt failed.", new SocketTimeoutException("Read timed out"))))
			.isEqualTo("no answer from db:5432 in time");
		assertThat(read(new IllegalStateException("Connection attempt timed out."))).isEqualTo("no answer from db:5432 in time");
	}

	@Test
	void whenATlsHandshakeGetsNoAnswerThenThePlainTextServerIsSuspected() {
		ConnectionProblem problem = ConnectionProblem
			.of(new IllegalStateException("Connection initialization timed out after 3 second(s)"), "db:6380", "REDIS_URL")
			.orElseThrow()
			.onTls("REDIS_URL");
		assertThat(problem.cause())
			.isEqualTo("no answer from db:6380 in time to the TLS handshake: the server may speak plain text on that port");
		assertThat(problem.fix()).startsWith("Use the scheme without TLS in REDIS_URL");
		ConnectionProblem refused = ConnectionProblem.of(new ConnectException("refused"), "db:6380", "REDIS_URL")
			.orElseThrow();
		assertThat(refused.onTls("REDIS_URL")).isSameAs(refused);
	}

	@Test
	void whenServerResetsTheConnectionThenTheFixNamesPortAndScheme() {
		ConnectionProblem problem = ConnectionProblem.of(new SocketException("Connection reset"), "db:5432", "REDIS_URL")
			.orElseThrow();
		assertThat(problem.cause()).isEqualTo("the server closed the connection (db:5432)");
		assertThat(problem.fix()).contains("REDIS_URL").contains("TLS");
	}

	@Test
	void whenTheServerRefusesTheHandshakeThenItIsNotCalledAnUntrustedCertificate() {
		assertThat(read(new SSLHandshakeException("Received fatal alert: bad_certificate")))
			.isEqualTo("the server refused the TLS handshake (db:5432): Received fatal alert: bad_certificate");
	}

	@Test
	void whenAConnectTimeoutIsAConnectExceptionThenItIsNoAnswerRatherThanARefusal() {
		// Netty's ConnectTimeoutException, and the JDK's for an unanswered SYN, extend ConnectException.
		assertThat(read(new ConnectException("Connection timed out"))).isEqualTo("no answer from db:5432 in time");
	}

	@Test
	void whenAStatementRunsPastItsTimeThenTheServerIsNotCalledUnreachable() {
		assertThat(ConnectionProblem.of(new java.sql.SQLTimeoutException("Query execution was interrupted"), "db:5432",
				"DATABASE_URL"))
			.isEmpty();
	}

	@Test
	void whenNoRouteLeadsToTheHostThenThatIsSaid() {
		assertThat(read(new java.net.NoRouteToHostException("No route to host"))).isEqualTo("no route to db:5432");
		assertThat(ConnectionProblem.of(new java.net.NoRouteToHostException("x"), null, "DATABASE_URL").orElseThrow()
			.cause()).isEqualTo("no route to the host");
	}

	@Test
	void whenTheServerIsUnknownToTheCallerThenCausesNameNoServer() {
		assertThat(ConnectionProblem.of(new ConnectException("refused"), null, "the URL").orElseThrow().cause())
			.isEqualTo("connection refused: nothing listens on that port");
		assertThat(ConnectionProblem.of(new UnknownHostException("db"), null, "the URL").orElseThrow().cause())
			.isEqualTo("the host name does not resolve");
		assertThat(ConnectionProblem.of(new SSLException("Unsupported or unrecognized SSL message"), null, "the URL")
			.orElseThrow()
			.cause()).isEqualTo(ConnectionProblem.PLAIN_TEXT_ON_TLS);
	}

	@Test
	void whenAnSslFailureHasNoCertificateCauseThenItIsNotCalledACertificateProblem() {
		assertThat(ConnectionProblem.of(new SSLException("Connection closed by peer"), "db:5432", "DATABASE_URL"))
			.isEmpty();
		SSLHandshakeException path = new SSLHandshakeException("handshake failed");
		path.initCause(new java.security.cert.CertPathValidatorException("validity check failed"));
		assertThat(read(path)).startsWith("the certificate of db:5432");
		assertThat(read(new SSLHandshakeException("No subject alternative names matching IP address 10.0.0.1")))
			.startsWith("the certificate of db:5432");
	}

	@Test
	void whenAMessageIsAbsentThenNothingIsSaid() {
		assertThat(ConnectionProblem.says(new IOException(), "timed out")).isFalse();
		assertThat(ConnectionProblem.says(new IOException("Read TIMED OUT"), "timed out")).isTrue();
		assertThat(ConnectionProblem.of(new SocketException((String) null), "db:5432", "DATABASE_URL")).isEmpty();
	}

	@Test
	void whenFailureIsNoNetworkOrTlsFailureThenNothingIsRead() {
		assertThat(ConnectionProblem.of(new IllegalArgumentException("syntax error at or near \"SELEC\""), "db:5432",
				"DATABASE_URL"))
			.isEmpty();
	}

	@Test
	void whenCausesFormACycleThenReadingEnds() {
		Exception first = new Exception("first");
		Exception second = new Exception("second", first);
		first.initCause(second);
		assertThat(ConnectionProblem.causes(first)).containsExactly(first, second);
		assertThat(ConnectionProblem.of(first, "db:5432", "DATABASE_URL")).isEmpty();
	}

	private static String read(Throwable failure) {
		return ConnectionProblem.of(failure, "db:5432", "DATABASE_URL").orElseThrow().cause();
	}

	/**
	 * Named as Netty's exception for a record that is not TLS, which is not on this module's classpath.
	 */
	static class NotSslRecordException extends IllegalArgumentException {

		NotSslRecordException(String message) {
			super(message);
		}

	}

}
