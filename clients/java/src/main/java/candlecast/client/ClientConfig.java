package candlecast.client;

import java.util.function.Supplier;

/** What the builder collected (package-private). */
record ClientConfig(
    Endpoints endpoints,
    Supplier<String> token,
    boolean fixedToken,
    String owner,
    long initialBackoffMs,
    long maxBackoffMs,
    long requestTimeoutMs,
    long pingIntervalMs,
    int publisherBuffer) {}
