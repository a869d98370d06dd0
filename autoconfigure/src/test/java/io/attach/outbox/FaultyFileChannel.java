package io.attach.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} on a real file whose writes come back short, or fail after some bytes, as on a disk that
 * fills up: no real file system does so on cue.
 *
 * @author attach
 */
final class FaultyFileChannel extends FileChannel {

	private final FileChannel file;

	private final int mostPerWrite;

	private final long failAfter;

	private long written;

	/**
	 * Wraps a channel.
	 * @param file the real channel
	 * @param mostPerWrite the most bytes one call writes
	 * @param failAfter the bytes written before every further write fails, or {@code -1} never to fail
	 */
	FaultyFileChannel(FileChannel file, int mostPerWrite, long failAfter) {
		this.file = file;
		this.mostPerWrite = mostPerWrite;
		this.failAfter = failAfter;
	}

	@Override
	public int write(ByteBuffer src) throws IOException {
		if (this.failAfter >= 0 && this.written >= this.failAfter) {
			throw new IOException("No space left on device");
		}
		int most = this.mostPerWrite;
		if (this.failAfter >= 0) {
			most = (int) Math.min(most, this.failAfter - this.written);
		}
		ByteBuffer part = src.duplicate();
		part.limit(part.position() + Math.min(part.remaining(), most));
		int count = this.file.write(part);
		src.position(src.position() + count);
		this.written += count;
		return count;
	}

	@Override
	public int read(ByteBuffer dst) throws IOException {
		return this.file.read(dst);
	}

	@Override
	public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
		return this.file.read(dsts, offset, length);
	}

	@Override
	public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
		throw new UnsupportedOperationException();
	}

	@Override
	public long position() throws IOException {
		return this.file.position();
	}

	@Override
	public FileChannel position(long newPosition) throws IOException {
		this.file.position(newPosition);
		return this;
	}

	@Override
	public long size() throws IOException {
		return this.file.size();
	}

	@Override
	public FileChannel truncate(long size) throws IOException {
		this.file.truncate(size);
		return this;
	}

	@Override
	public void force(boolean metaData) throws IOException {
		this.file.force(metaData);
	}

	@Override
	public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
		return this.file.transferTo(position, count, target);
	}

	@Override
	public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
		throw new UnsupportedOperationException();
	}

	@Override
	public int read(ByteBuffer dst, long position) throws IOException {
		return this.file.read(dst, position);
	}

	@Override
	public int write(ByteBuffer src, long position) throws IOException {
		throw new UnsupportedOperationException();
	}

	@Override
	public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
		throw new UnsupportedOperationException();
	}

	@Override
	public FileLock lock(long position, long size, boolean shared) throws IOException {
		return this.file.lock(position, size, shared);
	}

	@Override
	public FileLock tryLock(long position, long size, boolean shared) throws IOException {
		return this.file.tryLock(position, size, shared);
	}

	@Override
	protected void implCloseChannel() throws IOException {
		this.file.close();
	}

}
