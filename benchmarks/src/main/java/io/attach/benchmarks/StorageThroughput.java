package io.attach.benchmarks;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.attach.core.AttachAutoConfiguration;
import io.attach.resilience.ResilienceAttachAutoConfiguration;
import io.attach.storage.AttachStorageProperties;
import io.attach.storage.FileStorage;
import io.attach.storage.PutOptions;
import io.attach.storage.StorageAttachAutoConfiguration;
import io.attach.test.S3ProxyServer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures, in one run against S3Proxy (a child JVM, file-system backend, on loopback): upload and download throughput
 * through attach's {@link FileStorage} on {@code STORAGE_URL=s3://…} against the bare {@link S3Client} doing the same
 * work, object by object in turn after a warm-up round; and, in a child JVM with a small heap, the peak heap of a
 * 200 MiB upload of unknown length through {@link FileStorage}. Arguments: rounds (5), the child's heap (64m), the
 * size of that upload in MiB (200).
 * <p>
 * Both sides use the same client: the {@code attachS3Client} bean the auto-configuration built for the storage (the
 * S3-compatible profile, timeouts, Apache HTTP client), so the ratio is what attach adds on top of the SDK: the guard
 * (breaker and bulkhead), the key check, the SHA-256 of the content and, after a multipart upload, the copy of the
 * object onto itself that stores that checksum in its metadata. attach uploads a stream of unknown length (and, in a
 * column of its own, the same bytes as an array); the bare client puts the bytes of an object up to one part with one
 * {@code PutObject}, and a larger one as a multipart upload with the same part size read from a stream of unknown
 * length, what attach does without the extras. Downloads read the same objects to their end, {@code GetObject}
 * against {@link FileStorage#open(String)}.
 *
 * @author attach
 */
public final class StorageThroughput {

	static final String BUCKET = "attach-bench";

	private static final int KIB = 1024;

	private static final int MIB = 1024 * KIB;

	private static final List<Size> SIZES = List.of(new Size("64 KiB", 64 * KIB, 200), new Size("1 MiB", MIB, 40),
			new Size("32 MiB", 32 * MIB, 4));

	// The sides of an upload and of a download.
	private static final int BARE = 0;

	private static final int ATTACH = 1;

	private static final int ATTACH_BYTES = 2;

	private static final int ATTACH_NO_COPY = 3;

	private static final int UPLOADS = 4;

	private static final int DOWNLOADS = 2;

	private StorageThroughput() {
	}

	public static void main(String[] args) throws Exception {
		int rounds = (args.length > 0) ? Integer.parseInt(args[0]) : 5;
		String childHeap = (args.length > 1) ? args[1] : "64m";
		int heapUploadMib = (args.length > 2) ? Integer.parseInt(args[2]) : 200;
		List<String> report = new ArrayList<>();
		// The machine may be shared: the load says how far to trust a run.
		double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
		try (S3ProxyServer s3proxy = S3ProxyServer.start(BUCKET);
				ConfigurableApplicationContext context = start(storageUrl(s3proxy));
				ConfigurableApplicationContext noCopy = start(storageUrl(s3proxy),
						"--attach.storage.s3.store-multipart-sha256=false")) {
			FileStorage storage = context.getBean(FileStorage.class);
			S3Client client = context.getBean("attachS3Client", S3Client.class);
			int partSize = (int) context.getBean(AttachStorageProperties.class).getS3().getPartSize().toBytes();
			Sides sides = new Sides(storage, noCopy.getBean(FileStorage.class), client, partSize);
			report.add(String.format("FileStorage: %s over %s, part size %d MiB", storage.getClass().getSimpleName(),
					storage.capabilities().location(), partSize / MIB));

			// Warm up every path (JIT, connections, S3Proxy's own JVM) before any measurement: one round left the first
			// measured rounds' small uploads 0.5× of the later ones'.
			sides.round();
			sides.round();
			Totals totals = new Totals();
			long gcBefore = gcMillis();
			long start = System.nanoTime();
			for (int round = 1; round <= rounds; round++) {
				Totals one = sides.round();
				report.add("round " + round + ": " + one.ratios());
				totals.add(one);
			}
			report.add(String.format("%d rounds in %.0f s, %d ms of it in GC pauses of this JVM", rounds,
					(System.nanoTime() - start) / 1e9, gcMillis() - gcBefore));
			report.add("");
			report.addAll(totals.table(rounds));
			report.add("");
			report.addAll(sides.breakdown(rounds));
			report.add("");
			report.addAll(heapProbe(s3proxy, childHeap, heapUploadMib));
		}
		report.add(String.format("load average (1 min) %.1f at the start, %.1f at the end, on %d processors",
				loadBefore, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
				Runtime.getRuntime().availableProcessors()));
		System.out.println();
		report.forEach(System.out::println);
		System.exit(0);
	}

	/**
	 * Starts the smallest application attach configures storage for, with the guard, on an attached URL.
	 * @param storageUrl the {@code STORAGE_URL}
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(String storageUrl, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--STORAGE_URL=" + storageUrl, "--logging.level.root=WARN",
				"--spring.main.banner-mode=off"));
		all.addAll(List.of(arguments));
		return new SpringApplicationBuilder(StorageApplication.class).web(WebApplicationType.NONE)
			.run(all.toArray(String[]::new));
	}

	// The credentials are S3Proxy's throwaway pair for this run, passed in memory or through a child's environment.
	private static String storageUrl(S3ProxyServer s3proxy) {
		return "s3://" + s3proxy.accessKey() + ":" + s3proxy.secretKey() + "@" + BUCKET + "?endpoint="
				+ s3proxy.endpoint() + "&path_style=true";
	}

	private static List<String> heapProbe(S3ProxyServer s3proxy, String heap, int mib) throws Exception {
		String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx" + heap, "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), StorageHeapProbe.class.getName(), Integer.toString(mib), heap)
			.redirectErrorStream(true);
		builder.environment().put("STORAGE_URL", storageUrl(s3proxy));
		Process process = builder.start();
		List<String> lines = new ArrayList<>();
		try (BufferedReader output = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = output.readLine()) != null) {
				if (line.startsWith(StorageHeapProbe.RESULT)) {
					lines.add(line.substring(StorageHeapProbe.RESULT.length()));
				}
				else {
					System.out.println("[heap probe] " + line);
				}
			}
		}
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("The heap probe did not end within 10 minutes");
		}
		if (process.exitValue() != 0) {
			// A goal missed, such as an OutOfMemoryError in the small heap, is reported, not an error of the run.
			lines.add(mib + " MiB of unknown length through FileStorage with -Xmx" + heap
					+ ": did NOT complete, exit code " + process.exitValue() + " (its output is above)");
		}
		return lines;
	}

	/**
	 * An object size and how many objects of it make a batch.
	 */
	record Size(String label, int bytes, int count) {

		long batchBytes() {
			return (long) this.bytes * this.count;
		}

	}

	/**
	 * The sides, timed object by object and interleaved: bare, attach with a stream, attach with bytes, attach with a
	 * stream and {@code store-multipart-sha256=false} (an application of its own, so a client of its own), in an order
	 * that turns with each object, so that the machine's drift is shared.
	 */
	private static final class Sides {

		private final FileStorage storage;

		private final FileStorage noCopy;

		private final S3Client client;

		private final int partSize;

		private final byte[][] contents;

		private final byte[] sink = new byte[64 * KIB];

		Sides(FileStorage storage, FileStorage noCopy, S3Client client, int partSize) {
			this.storage = storage;
			this.noCopy = noCopy;
			this.client = client;
			this.partSize = partSize;
			Random random = new Random(42);
			this.contents = new byte[SIZES.size()][];
			for (int i = 0; i < SIZES.size(); i++) {
				this.contents[i] = new byte[SIZES.get(i).bytes()];
				random.nextBytes(this.contents[i]);
			}
		}

		/**
		 * Uploads, then downloads, every size on every side.
		 */
		Totals round() throws IOException {
			Totals totals = new Totals();
			for (int s = 0; s < SIZES.size(); s++) {
				Size size = SIZES.get(s);
				byte[] content = this.contents[s];
				for (int i = 0; i < size.count(); i++) {
					for (int turn = 0; turn < UPLOADS; turn++) {
						int side = (i + turn) % UPLOADS;
						long start = System.nanoTime();
						upload(side, size, i, content);
						totals.upload[s][side] += System.nanoTime() - start;
					}
				}
				for (int i = 0; i < size.count(); i++) {
					for (int turn = 0; turn < DOWNLOADS; turn++) {
						int side = (i + turn) % DOWNLOADS;
						long start = System.nanoTime();
						download(side, size, i);
						totals.download[s][side] += System.nanoTime() - start;
					}
				}
			}
			return totals;
		}

		private void upload(int side, Size size, int i, byte[] content) throws IOException {
			switch (side) {
				case BARE -> {
					String key = key("bare", size, i);
					if (content.length <= this.partSize) {
						this.client.putObject((request) -> request.bucket(BUCKET)
							.key(key)
							.contentType("application/octet-stream")
							.contentLength((long) content.length), RequestBody.fromBytes(content));
					}
					else {
						multipart(key, new UnknownLength(content), null, false);
					}
				}
				case ATTACH -> this.storage.put(key("attach", size, i), new UnknownLength(content),
						PutOptions.defaults());
				case ATTACH_NO_COPY -> this.noCopy.put(key("attach-no-copy", size, i), new UnknownLength(content),
						PutOptions.defaults());
				default -> this.storage.put(key("attach-bytes", size, i), content, PutOptions.defaults());
			}
		}

		// What a careful caller of the SDK writes for a stream of unknown length: one part in memory at a time. With
		// a digest, it hashes each part before sending it and, if told to store it, copies the object onto itself
		// once complete to put the hash in its metadata, as attach does.
		private void multipart(String key, InputStream content, @Nullable MessageDigest digest, boolean storeDigest)
				throws IOException {
			String uploadId = this.client.createMultipartUpload((request) -> request.bucket(BUCKET)
				.key(key)
				.contentType("application/octet-stream")).uploadId();
			try {
				List<CompletedPart> parts = new ArrayList<>();
				byte[] buffer = new byte[this.partSize];
				int filled;
				do {
					filled = content.readNBytes(buffer, 0, buffer.length);
					if (filled == 0 && !parts.isEmpty()) {
						break;
					}
					if (digest != null) {
						digest.update(buffer, 0, filled);
					}
					int partNumber = parts.size() + 1;
					int length = filled;
					String eTag = this.client.uploadPart((request) -> request.bucket(BUCKET)
						.key(key)
						.uploadId(uploadId)
						.partNumber(partNumber)
						.contentLength((long) length), body(buffer, length)).eTag();
					parts.add(CompletedPart.builder().partNumber(partNumber).eTag(eTag).build());
				}
				while (filled == buffer.length);
				String eTag = this.client.completeMultipartUpload((request) -> request.bucket(BUCKET)
					.key(key)
					.uploadId(uploadId)
					.multipartUpload((upload) -> upload.parts(parts))).eTag();
				String sha256 = (digest != null) ? HexFormat.of().formatHex(digest.digest()) : "";
				if (storeDigest) {
					this.client.copyObject((request) -> request.sourceBucket(BUCKET)
						.sourceKey(key)
						.destinationBucket(BUCKET)
						.destinationKey(key)
						.copySourceIfMatch(eTag)
						.metadataDirective(MetadataDirective.REPLACE)
						.contentType("application/octet-stream")
						.metadata(Map.of("attach-sha256", sha256)));
				}
			}
			catch (IOException | RuntimeException ex) {
				this.client.abortMultipartUpload((request) -> request.bucket(BUCKET).key(key).uploadId(uploadId));
				throw ex;
			}
		}

		// What attach does for a stream that ends within one part: a buffer of the part size, filled, hashed, sent.
		private void bufferedPut(String key, InputStream content) throws IOException {
			byte[] buffer = new byte[this.partSize];
			int filled = content.readNBytes(buffer, 0, buffer.length);
			MessageDigest digest = sha256();
			digest.update(buffer, 0, filled);
			String sha256 = HexFormat.of().formatHex(digest.digest());
			this.client.putObject((request) -> request.bucket(BUCKET)
				.key(key)
				.contentType("application/octet-stream")
				.contentLength((long) filled)
				.metadata(Map.of("attach-sha256", sha256)), body(buffer, filled));
		}

		private static RequestBody body(byte[] buffer, int length) {
			return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
					"application/octet-stream");
		}

		// Both read the objects attach wrote from a stream: the same bytes from the same files of S3Proxy.
		private void download(int side, Size size, int i) throws IOException {
			String key = key("attach", size, i);
			try (InputStream content = (side == BARE)
					? this.client.getObject((request) -> request.bucket(BUCKET).key(key)) : this.storage.open(key)) {
				long total = 0;
				int read;
				while ((read = content.read(this.sink)) != -1) {
					total += read;
				}
				if (total != size.bytes()) {
					throw new IllegalStateException("Read " + total + " bytes of an object of " + size.bytes());
				}
			}
		}

		/**
		 * Takes attach's upload apart, object by object in turn as in the rounds: the bare client alone, then doing
		 * attach's extra work itself step by step, then attach; the differences of the means say where the time goes.
		 * @param rounds how many objects of each size per variant, times the size's count
		 * @return the report's lines
		 */
		List<String> breakdown(int rounds) throws Exception {
			List<String> lines = new ArrayList<>();
			lines.add("Where attach's upload time goes: mean ms per object, each variant in turn, object by object:");
			Size small = SIZES.get(0);
			byte[] smallContent = this.contents[0];
			List<Variant> smalls = List.of(
					new Variant("bare PutObject of the bytes",
							(key) -> this.client.putObject((request) -> request.bucket(BUCKET)
								.key(key)
								.contentType("application/octet-stream")
								.contentLength((long) smallContent.length), RequestBody.fromBytes(smallContent))),
					new Variant("bare, as attach: a part-size buffer, SHA-256, PutObject",
							(key) -> bufferedPut(key, new UnknownLength(smallContent))),
					new Variant("attach put(stream)",
							(key) -> this.storage.put(key, new UnknownLength(smallContent), PutOptions.defaults())),
					new Variant("attach put(byte[])",
							(key) -> this.storage.put(key, smallContent, PutOptions.defaults())));
			lines.addAll(compare(small, smalls, small.count() * rounds));
			Size large = SIZES.get(SIZES.size() - 1);
			byte[] largeContent = this.contents[SIZES.size() - 1];
			List<Variant> larges = List.of(
					new Variant("bare multipart",
							(key) -> multipart(key, new UnknownLength(largeContent), null, false)),
					new Variant("bare multipart + SHA-256",
							(key) -> multipart(key, new UnknownLength(largeContent), sha256(), false)),
					new Variant("bare multipart + SHA-256 + CopyObject onto itself",
							(key) -> multipart(key, new UnknownLength(largeContent), sha256(), true)),
					new Variant("attach put(stream)",
							(key) -> this.storage.put(key, new UnknownLength(largeContent), PutOptions.defaults())));
			lines.addAll(compare(large, larges, large.count() * rounds));
			long sha = best(() -> sha256().digest(largeContent));
			lines.add(String.format("  of which, measured alone (best of 5): SHA-256 of %s %.1f ms (%.0f MB/s),",
					large.label(), sha / 1e6, large.bytes() / (sha / 1e9) / 1e6));
			String key = key("attach", large, 0);
			long copy = best(() -> this.client.copyObject((request) -> request.sourceBucket(BUCKET)
				.sourceKey(key)
				.destinationBucket(BUCKET)
				.destinationKey(key)
				.metadataDirective(MetadataDirective.REPLACE)
				.contentType("application/octet-stream")
				.metadata(Map.of("attach-sha256", "0"))));
			long allocation = best(() -> new byte[this.partSize]);
			lines.add(String.format("  CopyObject of %s onto itself %.1f ms, new byte[%d MiB] %.2f ms", large.label(),
					copy / 1e6, this.partSize / MIB, allocation / 1e6));
			return lines;
		}

		private List<String> compare(Size size, List<Variant> variants, int objects) throws IOException {
			long[] nanos = new long[variants.size()];
			for (int i = 0; i < objects; i++) {
				for (int turn = 0; turn < variants.size(); turn++) {
					int v = (i + turn) % variants.size();
					String key = "breakdown/" + v + "/" + size.bytes() + "/" + (i % size.count());
					long start = System.nanoTime();
					variants.get(v).upload().accept(key);
					nanos[v] += System.nanoTime() - start;
				}
			}
			List<String> lines = new ArrayList<>();
			for (int v = 0; v < variants.size(); v++) {
				double mean = nanos[v] / 1e6 / objects;
				lines.add(String.format("  %-7s %-55s %8.2f ms  %+8.2f ms  %5.2f×", size.label(),
						variants.get(v).name(), mean, mean - nanos[0] / 1e6 / objects, (double) nanos[v] / nanos[0]));
			}
			return lines;
		}

		private static String key(String side, Size size, int i) {
			return "bench/" + side + "/" + size.bytes() + "/" + i;
		}

	}

	/**
	 * Nanoseconds per size and side, uploads and downloads, summed over rounds.
	 */
	private static final class Totals {

		final long[][] upload = new long[SIZES.size()][UPLOADS];

		final long[][] download = new long[SIZES.size()][DOWNLOADS];

		void add(Totals other) {
			for (int s = 0; s < SIZES.size(); s++) {
				for (int side = 0; side < UPLOADS; side++) {
					this.upload[s][side] += other.upload[s][side];
				}
				for (int side = 0; side < DOWNLOADS; side++) {
					this.download[s][side] += other.download[s][side];
				}
			}
		}

		String ratios() {
			StringBuilder line = new StringBuilder("attach (stream) ÷ bare");
			for (int s = 0; s < SIZES.size(); s++) {
				line.append(String.format("   %s up %.2f down %.2f", SIZES.get(s).label(),
						(double) this.upload[s][BARE] / this.upload[s][ATTACH],
						(double) this.download[s][BARE] / this.download[s][ATTACH]));
			}
			return line.toString();
		}

		List<String> table(int rounds) {
			List<String> lines = new ArrayList<>();
			lines.add(String.format("%-8s %-7s %7s %10s %14s %6s %14s %6s %14s %6s", "", "size", "objects",
					"bare MB/s", "attach stream", "ratio", "attach byte[]", "ratio", "stream no copy", "ratio"));
			for (int s = 0; s < SIZES.size(); s++) {
				Size size = SIZES.get(s);
				long bytes = size.batchBytes() * rounds;
				double bare = rate(bytes, this.upload[s][BARE]);
				double stream = rate(bytes, this.upload[s][ATTACH]);
				double array = rate(bytes, this.upload[s][ATTACH_BYTES]);
				double noCopy = rate(bytes, this.upload[s][ATTACH_NO_COPY]);
				lines.add(String.format("%-8s %-7s %7d %10.1f %14.1f %6.2f %14.1f %6.2f %14.1f %6.2f", "upload",
						size.label(), size.count() * rounds, bare, stream, stream / bare, array, array / bare, noCopy,
						noCopy / bare));
			}
			for (int s = 0; s < SIZES.size(); s++) {
				Size size = SIZES.get(s);
				long bytes = size.batchBytes() * rounds;
				double bare = rate(bytes, this.download[s][BARE]);
				double open = rate(bytes, this.download[s][ATTACH]);
				lines.add(String.format("%-8s %-7s %7d %10.1f %14.1f %6.2f", "download", size.label(),
						size.count() * rounds, bare, open, open / bare));
			}
			long bytes = SIZES.stream().mapToLong(Size::batchBytes).sum() * rounds;
			lines.add(String.format("all sizes, by bytes: upload attach (stream) ÷ bare %.2f, download %.2f"
					+ " (goal >= 0.9); upload with store-multipart-sha256=false %.2f",
					rate(bytes, sum(this.upload, ATTACH)) / rate(bytes, sum(this.upload, BARE)),
					rate(bytes, sum(this.download, ATTACH)) / rate(bytes, sum(this.download, BARE)),
					rate(bytes, sum(this.upload, ATTACH_NO_COPY)) / rate(bytes, sum(this.upload, BARE))));
			return lines;
		}

		private static long sum(long[][] nanos, int side) {
			long sum = 0;
			for (long[] size : nanos) {
				sum += size[side];
			}
			return sum;
		}

	}

	private static long gcMillis() {
		return ManagementFactory.getGarbageCollectorMXBeans()
			.stream()
			.mapToLong(GarbageCollectorMXBean::getCollectionTime)
			.sum();
	}

	static double rate(long bytes, long nanos) {
		return bytes / (nanos / 1e9) / 1e6;
	}

	private static long best(Timed timed) throws Exception {
		long best = Long.MAX_VALUE;
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			Object result = timed.run();
			best = Math.min(best, System.nanoTime() - start);
			if (result != null && result.hashCode() == 42) {
				// Keeps the result in use, so that the work is not optimised away.
				System.out.print("");
			}
		}
		return best;
	}

	static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/**
	 * One way of uploading an object, named for the report.
	 */
	private record Variant(String name, Upload upload) {

	}

	@FunctionalInterface
	private interface Upload {

		void accept(String key) throws IOException;

	}

	@FunctionalInterface
	private interface Timed {

		Object run() throws Exception;

	}

	/**
	 * Bytes read as from a socket: no length known in advance, no mark.
	 */
	static final class UnknownLength extends InputStream {

		private final byte[] content;

		private int position;

		UnknownLength(byte[] content) {
			this.content = content;
		}

		@Override
		public int read() {
			return (this.position < this.content.length) ? this.content[this.position++] & 0xff : -1;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (length == 0) {
				return 0;
			}
			int remaining = this.content.length - this.position;
			if (remaining <= 0) {
				return -1;
			}
			int count = Math.min(length, remaining);
			System.arraycopy(this.content, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

	}

	/**
	 * The smallest application attach configures storage for: attach's core, its resilience (the storage's guard)
	 * and its storage.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AttachAutoConfiguration.class, ResilienceAttachAutoConfiguration.class,
			StorageAttachAutoConfiguration.class })
	static class StorageApplication {

	}

}
