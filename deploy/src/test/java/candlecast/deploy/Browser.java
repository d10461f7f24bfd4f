package candlecast.deploy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * A real headless Chromium (Debian's {@code chromium} + {@code chromedriver}) for page tests: fresh
 * profile and XDG directories under a temp dir, the flags of docs/GUIDE (no GPU, no QUIC, no
 * background traffic), browser console captured.
 */
final class Browser implements AutoCloseable {
  static final String CHROMIUM = System.getProperty("candlecast.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER =
      System.getProperty("candlecast.chromedriver", "/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final ChromeDriverService service;
  private final List<LogEntry> console = new ArrayList<>();

  private Browser(ChromeDriver driver, ChromeDriverService service) {
    this.driver = driver;
    this.service = service;
  }

  /** Starts Chromium with a viewport of about {@code width} x {@code height} CSS pixels. */
  static Browser start(Path tempDir, int width, int height) {
    for (String exe : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(exe))) {
        throw new IllegalStateException(
            exe
                + " not found: the browser tests need Debian's chromium and "
                + "chromium-driver (apt-get install -y chromium chromium-driver; .ci/run installs them)");
      }
    }
    Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE);
    Path home;
    try {
      home = Files.createTempDirectory(tempDir, "chromium-");
      Files.createDirectories(home.resolve("config"));
      Files.createDirectories(home.resolve("cache"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .withEnvironment(
                Map.of(
                    "XDG_CONFIG_HOME", home.resolve("config").toString(),
                    "XDG_CACHE_HOME", home.resolve("cache").toString()))
            .withLogOutput(OutputStream.nullOutputStream())
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--user-data-dir=" + home.resolve("profile"),
        "--window-size=" + width + "," + height);
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriver driver;
    try {
      driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      throw e;
    }
    Browser b = new Browser(driver, service);
    b.resize(width, height);
    return b;
  }

  /** Makes the viewport (not the window) {@code width} x {@code height}. */
  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
    Object inner = js("return [window.innerWidth, window.innerHeight]");
    if (inner instanceof List<?> l && l.size() == 2) {
      int dw = width - ((Number) l.get(0)).intValue();
      int dh = height - ((Number) l.get(1)).intValue();
      if (dw != 0 || dh != 0) {
        driver.manage().window().setSize(new Dimension(width + dw, height + dh));
      }
    }
  }

  void open(String url) {
    driver.get(url);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  long jsLong(String expression) {
    Object v = js("return " + expression);
    return v == null ? -1 : ((Number) v).longValue();
  }

  String jsString(String expression) {
    Object v = js("return " + expression);
    return v == null ? null : v.toString();
  }

  double jsDouble(String expression) {
    Object v = js("return " + expression);
    if (!(v instanceof Number n)) {
      throw new IllegalStateException(expression + " is not a number: " + v);
    }
    return n.doubleValue();
  }

  /** The expression's value as JSON text (JSON.stringify in the page). */
  String jsJson(String expression) {
    return String.valueOf(js("return JSON.stringify(" + expression + ")"));
  }

  boolean jsTrue(String expression) {
    return Boolean.TRUE.equals(js("return !!(" + expression + ")"));
  }

  /**
   * Every console entry since the browser started (read entries are kept here: the driver hands
   * each out once).
   */
  List<LogEntry> console() {
    console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
    return List.copyOf(console);
  }

  /** Console errors (level SEVERE: console.error, uncaught exceptions, failed requests). */
  List<String> consoleErrors() {
    List<String> out = new ArrayList<>();
    for (LogEntry e : console()) {
      if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
        out.add(e.getMessage());
      }
    }
    return out;
  }

  void clearConsole() {
    console();
    console.clear();
  }

  byte[] screenshot() {
    return driver.getScreenshotAs(OutputType.BYTES);
  }

  /**
   * A Chrome DevTools Protocol command (e.g. HeapProfiler.collectGarbage, Runtime.getHeapUsage).
   */
  Map<String, Object> cdp(String command, Map<String, Object> params) {
    return driver.executeCdpCommand(command, params);
  }

  /** JS heap in use after a full garbage collection, in bytes. */
  long heapAfterGc() {
    cdp("HeapProfiler.enable", Map.of());
    cdp("HeapProfiler.collectGarbage", Map.of());
    Map<String, Object> usage = cdp("Runtime.getHeapUsage", Map.of());
    return ((Number) usage.get("usedSize")).longValue();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
