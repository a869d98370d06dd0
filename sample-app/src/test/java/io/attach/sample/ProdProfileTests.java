package io.attach.sample;

import io.attach.core.MissingResourcesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests that the prod profile refuses to start without its attached resources.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class ProdProfileTests {

	@Test
	void whenUrlsAreMissingThenStartupFailsNamingEveryOne(CapturedOutput output) {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		assertThatExceptionOfType(MissingResourcesException.class)
			.isThrownBy(() -> application.run("--spring.profiles.active=prod", "--server.port=0"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("- database: set DATABASE_URL or JAWSDB_URL or JAWSDB_MARIA_URL or CLEARDB_DATABASE_URL"
					+ " (or attach.resources.database.url)")
			.contains("- cache: set REDIS_URL or CACHE_URL (or attach.resources.cache.url)")
			.contains("- mail: set SMTP_URL (or attach.resources.mail.url)")
			.contains("- messaging: set AMQP_URL")
			.contains("- storage: set STORAGE_URL (or attach.resources.storage.url)")
			.contains("Set the missing environment variables");
	}

}
