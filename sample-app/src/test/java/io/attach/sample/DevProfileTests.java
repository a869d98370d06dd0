package io.attach.sample;

import java.nio.file.Path;

import io.attach.outbox.OutboxStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the README's first command, the sample on its {@code dev} profile, starts without a warning from attach:
 * what the profile stands in with (H2, console mail, in-process messaging, an outbox on this machine's disk) is said
 * once, not warned about.
 *
 * @author attach
 */
@ExtendWith(OutputCaptureExtension.class)
class DevProfileTests {

	@Test
	void theDevProfileStartsWithoutWarningsFromAttach(CapturedOutput output, @TempDir Path home) {
		// The outbox's default directory is under the user's home: the test's own, not the machine user's.
		String userHome = System.getProperty("user.home");
		System.setProperty("user.home", home.toString());
		// Only the application's own files, not the tests' config/ (which sets the outbox's directory).
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--spring.config.location=classpath:/", "--server.port=0",
				"--attach.storage.directory=" + home.resolve("files"))) {
			// The outbox's store is made on first use, and says then where it keeps its items.
			context.getBean(OutboxStore.class);
		}
		finally {
			System.setProperty("user.home", userHome);
		}
		assertThat(output.getOut()).contains("Resources: database not attached")
			.contains("Queued outbox items (mail, messages) are kept in " + home.resolve(".attach/outbox/attach-sample"))
			.doesNotContainPattern("WARN .*io\\.attach|WARN .*i\\.a\\.");
	}

}
