package io.attach.storage;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.Abortable;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link S3Download}: a download closed early aborts its connection, one read to its end does not.
 *
 * @author attach
 */
class S3DownloadTests {

	private final AtomicInteger aborts = new AtomicInteger();

	private final Abortable abortable = this.aborts::incrementAndGet;

	@Test
	void closedBeforeItsEndTheConnectionIsAbortedRatherThanDrained() throws Exception {
		CountingStream body = new CountingStream(new byte[1_000_000]);
		try (InputStream download = download(body)) {
			assertThat(download.read()).isZero();
		}
		assertThat(this.aborts).hasValue(1);
		assertThat(body.read).isOne();
	}

	@Test
	void readToItsEndTheConnectionIsLeftForReuse() throws Exception {
		try (InputStream download = download(new CountingStream(new byte[10]))) {
			assertThat(download.readAllBytes()).hasSize(10);
		}
		assertThat(this.aborts).hasValue(0);
	}

	private S3Download download(InputStream body) {
		return new S3Download(new ResponseInputStream<>(GetObjectResponse.builder().build(),
				AbortableInputStream.create(body, this.abortable)));
	}

	/**
	 * A body that counts the bytes read from it, as an HTTP client draining it on close would.
	 */
	private static final class CountingStream extends ByteArrayInputStream {

		private int read;

		CountingStream(byte[] content) {
			super(content);
		}

		@Override
		public synchronized int read() {
			int b = super.read();
			this.read += (b >= 0) ? 1 : 0;
			return b;
		}

		@Override
		public synchronized int read(byte[] buffer, int offset, int length) {
			int n = super.read(buffer, offset, length);
			this.read += Math.max(n, 0);
			return n;
		}

		@Override
		public void close() {
			// As the Apache client's content stream: closing reads what is left, unless the connection was aborted.
			readAllBytes();
		}

	}

}
