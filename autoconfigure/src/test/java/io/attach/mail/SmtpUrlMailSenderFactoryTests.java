package io.attach.mail;

import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLSocketFactory;

import io.attach.core.InvalidSettingException;
import io.attach.core.ResourceUrl;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link SmtpUrlMailSenderFactory}.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class SmtpUrlMailSenderFactoryTests {

	private final MailProperties mail = new MailProperties();

	private final SslBundles sslBundles = new DefaultSslBundleRegistry("mail-ca", SslBundle.of(null));

	@Test
	void whenDefaultEncodingIsSetThenTheSenderUsesIt() {
		assertThat(create("smtp://mail.internal:587", this.sslBundles).getDefaultEncoding()).isEqualTo("UTF-8");
		this.mail.setDefaultEncoding(StandardCharsets.ISO_8859_1);
		assertThat(create("smtp://mail.internal:587", this.sslBundles).getDefaultEncoding()).isEqualTo("ISO-8859-1");
	}

	@Test
	void whenAnSslBundleIsNamedThenJavaMailConnectsThroughIt() {
		this.mail.getSsl().setBundle("mail-ca");
		JavaMailSenderImpl sender = create("smtps://mail.internal", this.sslBundles);
		assertThat(sender.getJavaMailProperties().get("mail.smtps.ssl.socketFactory"))
			.isInstanceOf(SSLSocketFactory.class);
	}

	@Test
	void whenNoSslBundleIsNamedThenJavaMailUsesItsDefaultTrust() {
		assertThat(create("smtps://mail.internal", this.sslBundles).getJavaMailProperties())
			.doesNotContainKey("mail.smtps.ssl.socketFactory");
	}

	@Test
	void whenThereAreNoSslBundlesThenJavaMailUsesItsDefaultTrust() {
		this.mail.getSsl().setBundle("mail-ca");
		assertThat(create("smtps://mail.internal", null).getJavaMailProperties())
			.doesNotContainKey("mail.smtps.ssl.socketFactory");
	}

	@Test
	void whenAJavaMailSettingTurnsOffCertificateChecksWithoutCredentialsThenTheErrorSaysWhatIsAtStake() {
		this.mail.getProperties().put("mail.smtp.ssl.trust", "*");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> create("smtp://mail.internal:587", this.sslBundles))
			.withMessageContaining("anyone on the path could pose as the mail server. ")
			.withMessageNotContaining("credentials");
	}

	@Test
	void whenAJavaMailSettingTurnsOffCertificateChecksWithCredentialsThenTheErrorSaysTheyAreAtStake() {
		this.mail.getProperties().put("mail.smtp.ssl.trust", "*");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> create("smtp://apikey:canary@mail.internal:587", this.sslBundles))
			.withMessageContaining("anyone on the path could pose as the mail server and read the credentials. ")
			.withMessageNotContaining("canary");
	}

	@Test
	void whenPeerVerificationIsTurnedOffByPropertyThenJavaMailTrustsTheServerAndStartupWarns(CapturedOutput output) {
		AttachMailProperties properties = new AttachMailProperties();
		properties.setVerifyPeer(false);
		JavaMailSenderImpl sender = SmtpUrlMailSenderFactory.create(
				SmtpUrl.of(ResourceUrl.of("SMTP_URL", "smtps://apikey:canary@mail.internal")), "SMTP_URL", properties,
				this.mail, this.sslBundles);
		assertThat(sender.getJavaMailProperties()).containsEntry("mail.smtps.ssl.trust", "*")
			.containsEntry("mail.smtps.ssl.checkserveridentity", "false");
		assertThat(output).contains("attach.mail.verify-peer is false: the certificate of the mail server of SMTP_URL"
				+ " is not verified, so anyone on the path can pose as it and read the credentials")
			.doesNotContain("canary");
	}

	@Test
	void whenPeerVerificationIsOnThenJavaMailChecksTheServer(CapturedOutput output) {
		assertThat(create("smtps://apikey:canary@mail.internal", this.sslBundles).getJavaMailProperties())
			.containsEntry("mail.smtps.ssl.checkserveridentity", "true")
			.doesNotContainKey("mail.smtps.ssl.trust");
		assertThat(output).doesNotContain("verify");
	}

	private JavaMailSenderImpl create(String url, @Nullable SslBundles sslBundles) {
		return SmtpUrlMailSenderFactory.create(SmtpUrl.of(ResourceUrl.of("SMTP_URL", url)), "SMTP_URL",
				new AttachMailProperties(), this.mail, sslBundles);
	}

}
