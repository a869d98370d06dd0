package io.attach.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@link OutboxStore} contract for {@link JdbcOutboxStore}, plus what a shared table adds: several instances
 * claiming at once.
 *
 * @author attach
 */
abstract class JdbcOutboxStoreContractTests extends OutboxStoreContractTests {

	// Servers' own threads may throw on purpose here (a refused handshake): only the condition decides.
	private static final ConditionFactory EVENTUALLY = await().atMost(Duration.ofSeconds(20))
		.dontCatchUncaughtExceptions();

	private final String table = "attach_outbox_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

	abstract DataSource dataSource();

	@AfterEach
	void dropTable() {
		new JdbcTemplate(dataSource()).execute("DROP TABLE IF EXISTS " + this.table);
	}

	@Override
	OutboxStore store() {
		JdbcOutboxStore store = new JdbcOutboxStore(dataSource(), this.table);
		assertThat(store.initialize()).isTrue();
		return store;
	}

	@Override
	PlatformTransactionManager transactionManager() {
		return new DataSourceTransactionManager(dataSource());
	}

	@Test
	void whenSeveralInstancesClaimAtOnceThenEachItemGoesToOne() {
		OutboxStore store = store();
		for (int i = 0; i < 200; i++) {
			store.add("mail", "<" + i + "@x>", bytes("m" + i));
		}
		List<CompletableFuture<List<String>>> instances = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			OutboxStore instance = store();
			instances.add(CompletableFuture.supplyAsync(() -> {
				List<String> ids = new ArrayList<>();
				for (List<OutboxItem> batch = instance.claim("mail", 7, LEASE); !batch.isEmpty(); batch = instance
					.claim("mail", 7, LEASE)) {
					batch.forEach((item) -> ids.add(item.id()));
				}
				return ids;
			}));
		}
		List<String> claimed = new ArrayList<>();
		instances.forEach((instance) -> claimed.addAll(instance.join()));
		assertThat(claimed).hasSize(200).doesNotHaveDuplicates();
	}

	@Test
	void whenALeaseRanOutThenItsFormerHolderCannotSettleTheItem() {
		OutboxStore slow = store();
		OutboxStore other = store();
		slow.add("mail", "<1@x>", bytes("one"));
		OutboxItem stale = slow.claim("mail", 10, Duration.ofMillis(1)).get(0);
		OutboxItem taken = EVENTUALLY.until(() -> other.claim("mail", 10, LEASE), (items) -> !items.isEmpty()).get(0);
		slow.park("mail", stale, "too late");
		slow.release("mail", List.of(stale));
		assertThat(other.stats("mail")).extracting(OutboxStats::queued, OutboxStats::parked).containsExactly(1L, 0L);
		assertThat(other.claim("mail", 10, LEASE)).as("still leased by the other instance").isEmpty();
		other.delivered("mail", taken);
		assertThat(other.stats("mail").queued()).isZero();
	}

	@Test
	void whenTableExistsThenInitializingAgainKeepsItsItems() {
		store().add("mail", "<1@x>", bytes("one"));
		assertThat(store().claim("mail", 10, LEASE)).hasSize(1);
	}

	@Test
	void whenTableNameIsNotPlainThenItIsRefused() {
		org.assertj.core.api.Assertions
			.assertThatIllegalArgumentException()
			.isThrownBy(() -> new JdbcOutboxStore(dataSource(), "outbox; DROP TABLE users"))
			.withMessageContaining("attach.outbox.table");
	}

}
