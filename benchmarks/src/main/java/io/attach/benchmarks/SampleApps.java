package io.attach.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.attach.sample.SampleApplication;
import io.attach.test.LocalServers;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the sample app on the machine's PostgreSQL in a schema of the benchmark's own, and creates users in it.
 *
 * @author attach
 */
final class SampleApps {

	private SampleApps() {
	}

	static ConfigurableApplicationContext start(String schema, String... extra) {
		String[] common = { "--DATABASE_URL=postgres://postgres@127.0.0.1:" + LocalServers.POSTGRES.require().port()
				+ "/test?options=-c%20search_path%3D" + schema, "--spring.flyway.schemas=" + schema,
				"--server.port=0", "--logging.level.root=WARN", "--spring.main.banner-mode=off" };
		String[] args = new String[common.length + extra.length];
		System.arraycopy(common, 0, args, 0, common.length);
		System.arraycopy(extra, 0, args, common.length, extra.length);
		return new SpringApplicationBuilder(SampleApplication.class).run(args);
	}

	static String createUser(HttpClient client, String base) throws Exception {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/users"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ada\",\"email\":\"ada@example.com\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		return response.body().replaceAll(".*\"id\":(\\d+).*", "$1");
	}

}
