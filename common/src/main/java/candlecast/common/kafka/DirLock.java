package candlecast.common.kafka;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on a file, held from start to stop: one broker per data directory, in any
 * process.
 */
final class DirLock {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final FileChannel channel;
  private final FileLock lock;

  private DirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static DirLock acquire(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    }
    if (l == null) {
      ch.close();
      throw new IllegalStateException(
          "embedded Kafka data directory "
              + file.getParent()
              + " is already in use by another broker");
    }
    return new DirLock(ch, l);
  }

  void release() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      LOG.warn("Cannot release {}", lock, e);
    }
  }
}
