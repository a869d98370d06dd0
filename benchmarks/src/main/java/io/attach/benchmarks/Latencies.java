package io.attach.benchmarks;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, with the percentiles the README reports.
 *
 * @author attach
 */
final class Latencies {

	private final long[] samples;

	private int count;

	Latencies(int capacity) {
		this.samples = new long[capacity];
	}

	void add(long nanos) {
		this.samples[this.count++] = nanos;
	}

	double percentileMillis(double percentile) {
		long[] sorted = Arrays.copyOf(this.samples, this.count);
		Arrays.sort(sorted);
		int index = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
		return sorted[Math.max(0, index)] / 1_000_000.0;
	}

	@Override
	public String toString() {
		return String.format("p50 %7.2f ms   p99 %7.2f ms   max %8.2f ms   (n=%d)", percentileMillis(50),
				percentileMillis(99), percentileMillis(100), this.count);
	}

}
