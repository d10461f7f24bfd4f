package candlecast.gateway;

import io.vertx.core.MultiMap;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One engine.io polling exchange as the Jakarta servlet objects {@code
 * EngineIoServer.handleRequest} takes: a snapshot of a Vert.x request (method, query, headers,
 * body: taken on the request's event loop) and a response that collects status, headers and body
 * until engine.io is done with it — at once for a POST or an error, or when it completes the long
 * poll's {@link AsyncContext} (asynchronous servlet mode: nothing waits). Then {@code onDone} gets
 * the finished exchange to write on the request's event loop.
 *
 * <p>The servlet interfaces are large; engine.io-server 6.3 calls only a few of their methods, so
 * the objects are dynamic proxies that answer exactly those and refuse the others with {@link
 * UnsupportedOperationException} naming the method (a newer engine.io calling something new fails
 * loudly in the tests, not silently). Used on the Socket.IO owner's context only; not thread-safe.
 */
final class SioServletShim {
  private final String method;
  private final String query;
  private final MultiMap headers;
  private final byte[] body;
  private final Consumer<SioServletShim> onDone;
  private final Map<String, Object> attributes = new HashMap<>();
  private final Map<String, String> responseHeaders = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final List<AsyncListener> listeners = new ArrayList<>();
  private final List<Runnable> onFinished = new ArrayList<>();
  private PrintWriter writer;
  private int status = 200;
  private boolean async;
  private boolean done;
  private long timeoutMs;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final AsyncContext asyncContext;

  SioServletShim(
      String method, String query, MultiMap headers, byte[] body, Consumer<SioServletShim> onDone) {
    this.method = method;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.onDone = onDone;
    this.request = proxy(HttpServletRequest.class, this::onRequest);
    this.response = proxy(HttpServletResponse.class, this::onResponse);
    this.asyncContext = proxy(AsyncContext.class, this::onAsync);
  }

  HttpServletRequest request() {
    return request;
  }

  HttpServletResponse response() {
    return response;
  }

  /** After {@code handleRequest} returned: a synchronous answer is finished now. */
  void handled() {
    if (!async) {
      finish();
    }
  }

  /** Whether engine.io holds this exchange as a long poll. */
  boolean pending() {
    return async && !done;
  }

  /** The long poll's timeout (engine.io sets it when it starts the poll); 0 when none. */
  long timeoutMs() {
    return timeoutMs;
  }

  /** The long poll timed out: engine.io answers it (a noop packet). */
  void timedOut() {
    if (pending()) {
      for (AsyncListener l : new ArrayList<>(listeners)) {
        call(() -> l.onTimeout(new AsyncEvent(asyncContext)));
      }
    }
  }

  /** The client went away during a long poll. */
  void aborted() {
    if (pending()) {
      done = true;
      onFinished.forEach(Runnable::run);
      for (AsyncListener l : new ArrayList<>(listeners)) {
        call(() -> l.onError(new AsyncEvent(asyncContext)));
      }
    }
  }

  /** Runs {@code hook} when the exchange is answered or aborted. */
  void onFinished(Runnable hook) {
    onFinished.add(hook);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return responseHeaders;
  }

  byte[] body() {
    return out.toByteArray();
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    if (writer != null) {
      writer.flush();
    }
    onFinished.forEach(Runnable::run);
    onDone.accept(this);
  }

  private Object onRequest(String name, Object[] args) {
    return switch (name) {
      case "getMethod" -> method;
      case "getQueryString" -> query;
      case "getHeader" -> headers.get((String) args[0]);
      case "getHeaders" -> Collections.enumeration(headers.getAll((String) args[0]));
      case "getHeaderNames" -> Collections.enumeration(headers.names());
      case "getAttribute" -> attributes.get((String) args[0]);
      case "setAttribute" -> attributes.put((String) args[0], args[1]);
      case "removeAttribute" -> attributes.remove((String) args[0]);
      case "getContentLength" -> body.length;
      case "getContentLengthLong" -> (long) body.length;
      case "getInputStream" -> new BodyStream(body);
      case "isAsyncSupported" -> true;
      case "isAsyncStarted" -> async && !done;
      case "startAsync" -> {
        async = true;
        yield asyncContext;
      }
      case "getAsyncContext" -> asyncContext;
      default -> unsupported("HttpServletRequest", name);
    };
  }

  private Object onResponse(String name, Object[] args) {
    return switch (name) {
      case "setStatus" -> {
        status = (Integer) args[0];
        yield null;
      }
      case "getStatus" -> status;
      case "addHeader", "setHeader" -> responseHeaders.put((String) args[0], (String) args[1]);
      case "setContentType" -> responseHeaders.put("Content-Type", (String) args[0]);
      case "setContentLength", "setContentLengthLong", "setCharacterEncoding", "flushBuffer" ->
          null;
      case "getOutputStream" -> new BodySink(out);
      case "getWriter" -> {
        if (writer == null) {
          writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        }
        yield writer;
      }
      default -> unsupported("HttpServletResponse", name);
    };
  }

  private Object onAsync(String name, Object[] args) {
    return switch (name) {
      case "addListener" -> listeners.add((AsyncListener) args[0]);
      case "setTimeout" -> {
        timeoutMs = (Long) args[0];
        yield null;
      }
      case "getTimeout" -> timeoutMs;
      case "getRequest" -> request;
      case "getResponse" -> response;
      case "hasOriginalRequestAndResponse" -> true;
      case "complete" -> {
        finish();
        yield null;
      }
      default -> unsupported("AsyncContext", name);
    };
  }

  private static Object unsupported(String type, String name) {
    throw new UnsupportedOperationException(
        type + "." + name + " is not provided by the Vert.x adapter (SioServletShim)");
  }

  /** Answers {@code type}'s methods with {@code handler}, and the {@link Object} methods itself. */
  private static <T> T proxy(Class<T> type, Answer handler) {
    Object p =
        Proxy.newProxyInstance(
            SioServletShim.class.getClassLoader(),
            new Class<?>[] {type},
            (self, m, args) -> answer(type, self, m, args, handler));
    return type.cast(p);
  }

  private static Object answer(
      Class<?> type, Object self, Method m, Object[] args, Answer handler) {
    return switch (m.getName()) {
      case "toString" -> "SioServletShim." + type.getSimpleName();
      case "hashCode" -> System.identityHashCode(self);
      case "equals" -> self == args[0];
      default -> handler.answer(m.getName(), args == null ? new Object[0] : args);
    };
  }

  @FunctionalInterface
  private interface Answer {
    Object answer(String method, Object[] args);
  }

  private interface Step {
    void run() throws java.io.IOException;
  }

  private static void call(Step step) {
    try {
      step.run();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The request body, already read. */
  private static final class BodyStream extends ServletInputStream {
    private final ByteArrayInputStream in;

    BodyStream(byte[] body) {
      this.in = new ByteArrayInputStream(body);
    }

    @Override
    public boolean isFinished() {
      return in.available() == 0;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
      throw new UnsupportedOperationException("the body is already read: use read()");
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) {
      return in.read(b, off, Math.min(len, b.length - off));
    }
  }

  /** Collects the response body. */
  private static final class BodySink extends ServletOutputStream {
    private final ByteArrayOutputStream out;

    BodySink(ByteArrayOutputStream out) {
      this.out = out;
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener writeListener) {
      throw new UnsupportedOperationException("the body is collected in memory: use write()");
    }

    @Override
    public void write(int b) {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      out.write(b, off, len);
    }
  }
}
