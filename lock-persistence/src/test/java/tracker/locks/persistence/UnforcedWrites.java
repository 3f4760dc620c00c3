package tracker.locks.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

/**
 * An H2 file system ({@code jdbc:h2:unforced:…}) over the real one that counts bytes written to a database file and
 * not yet forced to the disk ({@code fsync}), so a test can tell whether an answered write would survive a power
 * cut: it does when nothing written is still unforced.
 */
public final class UnforcedWrites extends FilePathWrapper {

    private static final AtomicLong UNFORCED = new AtomicLong();
    private static final AtomicLong WRITTEN = new AtomicLong();

    /** Makes the {@code unforced:} prefix known to H2; once per JVM is enough, more is harmless. */
    public static void register() {
        FilePath.register(new UnforcedWrites());
    }

    /** Bytes written to a database file since its last force. */
    public static long unforcedBytes() {
        return UNFORCED.get();
    }

    /** Bytes written to database files since the JVM started. */
    public static long writtenBytes() {
        return WRITTEN.get();
    }

    @Override
    public String getScheme() {
        return "unforced";
    }

    @Override
    public FileChannel open(String mode) throws IOException {
        FileChannel real = super.open(mode);
        return name.endsWith(".mv.db") ? new Tracked(real) : real;
    }

    /**
     * A channel that counts what it wrote since it was last forced; reads and writes at the current position go
     * through {@link FileBaseDefault} to the positional ones.
     */
    private static final class Tracked extends FileBaseDefault {
        private final FileChannel channel;

        Tracked(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            int bytes = channel.write(src, position);
            UNFORCED.addAndGet(bytes);
            WRITTEN.addAndGet(bytes);
            return bytes;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            long before = UNFORCED.get();
            channel.force(metaData);
            UNFORCED.addAndGet(-before);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return channel.read(dst, position);
        }

        @Override
        protected void implTruncate(long newLength) throws IOException {
            channel.truncate(newLength);
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return channel.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            channel.close();
        }
    }
}
