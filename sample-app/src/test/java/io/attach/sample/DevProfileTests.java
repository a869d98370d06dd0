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
		// Only the application's own files, not the tests' config/ (which gives each context its own directories),
		// and a home of the test's own for the dev profile's ${user.home}/.attach.
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).run(
				"--spring.config.location=classpath:/", "--user.home=" + home, "--server.port=0",
				"--attach.storage.directory=" + home.resolve("files"))) {
			// The outbox's store is made on first use, and warns then when its directory is the default.
			context.getBean(OutboxStore.class);
			assertThat(home.resolve(".attach/outbox/attach-sample")).isDirectory();
		}
		assertThat(output.getOut()).contains("Resources: database not attached")
			.doesNotContainPattern("WARN .*io\\.attach|WARN .*i\\.a\\.");
	}

}
