package io.attach.redis;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.attach.core.InvalidResourceUrlException;
import io.attach.kind.UrlConformanceTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reads real {@code REDIS_URL}s, copied from the test suites and documentation of the clients and platforms that
 * write them ({@code redis-urls.tsv}, source named per row), and checks that each means to attach what it means to
 * its source, or differs as the row says and why, or is refused with the row's error.
 *
 * @author attach
 */
class RedisUrlConformanceTests {

	static Stream<UrlConformanceTable.Row> rows() {
		return UrlConformanceTable.read("/io/attach/redis/redis-urls.tsv").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void whenARealUrlIsReadThenItMeansWhatTheRowSays(UrlConformanceTable.Row row) {
		row.check(reading(row.url()));
	}

	/**
	 * Reads a URL as an application would, from {@code REDIS_URL}: hosts, ports, database (and Sentinel master after
	 * {@code #}), user, password and TLS ({@code none}, {@code require} without verification, {@code verify-full}).
	 * @param value the URL
	 * @return the reading
	 */
	static UrlConformanceTable.Reading reading(String value) {
		try {
			RedisUrl url = RedisUrl.of(UrlConformanceTable.attach("REDIS_URL", value));
			String tls = !url.ssl() ? "none" : url.verifyPeer() ? "verify-full" : "require";
			return new UrlConformanceTable.Reading(
					url.nodes().stream().map((node) -> node.host()).collect(Collectors.joining(",")),
					url.nodes().stream().map((node) -> String.valueOf(url.port(node))).collect(Collectors.joining(",")),
					url.database() + ((url.sentinelMaster() != null) ? "#" + url.sentinelMaster() : ""), url.username(),
					url.password(), tls);
		}
		catch (InvalidResourceUrlException ex) {
			return UrlConformanceTable.Reading.refused(ex.getProblem());
		}
	}

}
