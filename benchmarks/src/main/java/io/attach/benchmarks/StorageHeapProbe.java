package io.attach.benchmarks;

import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.attach.storage.AttachStorageProperties;
import io.attach.storage.FileStorage;
import io.attach.storage.PutOptions;
import io.attach.storage.StoredFile;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Uploads a generated stream of unknown length through {@link FileStorage} on the {@code STORAGE_URL} of its
 * environment and reports the heap it took: run by {@link StorageThroughput} as a child JVM with a small
 * {@code -Xmx}, so that the upload completing proves the memory bounded, and the figures are this upload's alone.
 * Arguments: the size in MiB (200), the {@code -Xmx} it runs with, for the report.
 *
 * @author attach
 */
public final class StorageHeapProbe {

	/** The prefix of the lines the parent reports. */
	static final String RESULT = "RESULT ";

	private static final int MIB = 1024 * 1024;

	private StorageHeapProbe() {
	}

	public static void main(String[] args) throws Exception {
		int mib = (args.length > 0) ? Integer.parseInt(args[0]) : 200;
		String xmx = (args.length > 1) ? args[1] : "(default)";
		String storageUrl = System.getenv("STORAGE_URL");
		if (storageUrl == null) {
			throw new IllegalStateException("STORAGE_URL is not set");
		}
		List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((pool) -> pool.getType() == MemoryType.HEAP)
			.toList();
		try (ConfigurableApplicationContext context = StorageThroughput.start(storageUrl)) {
			FileStorage storage = context.getBean(FileStorage.class);
			long partSize = context.getBean(AttachStorageProperties.class).getS3().getPartSize().toBytes();
			Generated content = new Generated((long) mib * MIB);
			// A short upload first, so that the classes and buffers a first call loads are in the baseline.
			storage.put("heap/warm-up", new StorageThroughput.UnknownLength(new byte[(int) partSize + 1]),
					PutOptions.defaults());
			System.gc();
			System.gc();
			long baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			heap.forEach(MemoryPoolMXBean::resetPeakUsage);
			AtomicLong maxAfterGc = new AtomicLong();
			AtomicInteger collections = new AtomicInteger();
			for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
				((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
					GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
						.from((CompositeData) notification.getUserData());
					long used = heap.stream()
						.map((pool) -> info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName()))
						.filter((usage) -> usage != null)
						.mapToLong(MemoryUsage::getUsed)
						.sum();
					maxAfterGc.accumulateAndGet(used, Math::max);
					collections.incrementAndGet();
				}, (notification) -> GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
					.equals(notification.getType()), null);
			}
			long start = System.nanoTime();
			StoredFile stored = storage.put("heap/upload", content, PutOptions.defaults());
			long elapsed = System.nanoTime() - start;
			// Each pool's peak, summed: an upper bound of the heap in use at any moment, garbage included.
			long peak = heap.stream().mapToLong((pool) -> pool.getPeakUsage().getUsed()).sum();
			if (stored.size() != content.length) {
				throw new IllegalStateException("Stored " + stored.size() + " bytes of " + content.length);
			}
			storage.delete("heap/upload");
			storage.delete("heap/warm-up");
			System.out.println(RESULT + String.format(
					"%d MiB of unknown length through FileStorage, part size %d MiB, -Xmx%s (Serial GC): completed in"
							+ " %.1f s (%.0f MB/s)",
					mib, partSize / MIB, xmx, elapsed / 1e9, content.length / (elapsed / 1e9) / 1e6));
			// Without a collection the peak counts every byte allocated since the baseline, garbage included.
			System.out.println(RESULT + String.format(
					"  heap in use before %.1f MiB; peak during the upload %.1f MiB (each pool's peak, summed),"
							+ " %.1f MiB above that; %d GCs%s",
					baseline / (double) MIB, peak / (double) MIB, (peak - baseline) / (double) MIB, collections.get(),
					(collections.get() > 0)
							? String.format(", at most %.1f MiB live after one", maxAfterGc.get() / (double) MIB)
							: " (the peak is everything allocated, garbage included)"));
		}
		System.exit(0);
	}

	/**
	 * A stream of a given length generated as it is read, from a block of random bytes allocated up front: the
	 * content is never in memory whole.
	 */
	private static final class Generated extends InputStream {

		private final byte[] block = new byte[MIB];

		private final long length;

		private long position;

		Generated(long length) {
			this.length = length;
			new Random(7).nextBytes(this.block);
		}

		@Override
		public int read() {
			return (this.position < this.length) ? this.block[(int) (this.position++ % this.block.length)] & 0xff : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (length == 0) {
				return 0;
			}
			long remaining = this.length - this.position;
			if (remaining <= 0) {
				return -1;
			}
			int from = (int) (this.position % this.block.length);
			int count = (int) Math.min(Math.min(length, remaining), this.block.length - from);
			System.arraycopy(this.block, from, buffer, offset, count);
			this.position += count;
			return count;
		}

	}

}
