package io.attach.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import io.attach.test.LocalServers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.aop.framework.Advised;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A connection from the attached database's pool through attach's guard (breaker, bulkhead, metrics) against the same
 * pool without it, and the same with one {@code SELECT 1} on the machine's PostgreSQL, to put the cost in proportion.
 *
 * @author attach
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectionGuardBenchmark {

	private ConfigurableApplicationContext context;

	private DataSource guarded;

	private DataSource bare;

	@Setup(Level.Trial)
	public void start() throws Exception {
		this.context = new SpringApplicationBuilder(JdbcApplication.class).web(WebApplicationType.NONE)
			.run("--DATABASE_URL=postgres://postgres@127.0.0.1:" + LocalServers.POSTGRES.require().port() + "/test",
					// The sample app's migrations are on this classpath: no schema changes in the shared database.
					"--spring.flyway.enabled=false", "--logging.level.root=WARN", "--spring.main.banner-mode=off");
		this.guarded = this.context.getBean(DataSource.class);
		if (!(this.guarded instanceof Advised advised)) {
			throw new IllegalStateException("The attached DataSource is not guarded");
		}
		// The very pool behind the guard.
		this.bare = (DataSource) advised.getTargetSource().getTarget();
	}

	@TearDown(Level.Trial)
	public void stop() {
		this.context.close();
	}

	@Benchmark
	public boolean bareConnection() throws SQLException {
		try (Connection connection = this.bare.getConnection()) {
			return connection.getAutoCommit();
		}
	}

	@Benchmark
	public boolean guardedConnection() throws SQLException {
		try (Connection connection = this.guarded.getConnection()) {
			return connection.getAutoCommit();
		}
	}

	@Benchmark
	public int bareSelectOne() throws SQLException {
		return selectOne(this.bare);
	}

	@Benchmark
	public int guardedSelectOne() throws SQLException {
		return selectOne(this.guarded);
	}

	private static int selectOne(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT 1")) {
			result.next();
			return result.getInt(1);
		}
	}

	/**
	 * An application with attach's auto-configuration and a database, nothing else.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class JdbcApplication {

	}

}
