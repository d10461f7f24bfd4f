package candlecast.common.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the configuration with vertx-config: defaults from the classpath file {@code
 * candlecast-defaults.yaml}, then the optional {@code --conf FILE} (YAML or JSON), then the {@code
 * CANDLECAST_*} environment variables, then {@code candlecast.*} system properties.
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "candlecast-defaults.yaml";

  private ConfigLoader() {}

  public static Future<CandlecastConfig> load(Vertx vertx, String confFile) {
    List<ConfigStoreOptions> stores = new ArrayList<>();
    stores.add(
        new ConfigStoreOptions()
            .setType("file")
            .setFormat("yaml")
            .setConfig(new JsonObject().put("path", DEFAULTS_RESOURCE)));
    if (confFile != null) {
      File f = new File(confFile);
      if (!f.isFile()) {
        return Future.failedFuture(
            new ConfigException("configuration file " + confFile + " does not exist"));
      }
      String lower = confFile.toLowerCase(Locale.ROOT);
      String format = lower.endsWith(".json") ? "json" : "yaml";
      stores.add(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat(format)
              .setConfig(new JsonObject().put("path", f.getAbsolutePath())));
    }
    JsonArray envKeys = new JsonArray();
    JsonArray sysKeys = new JsonArray();
    for (Setting<?> s : Settings.ALL) {
      envKeys.add(s.envName());
      sysKeys.add(s.sysProp());
    }
    stores.add(
        new ConfigStoreOptions()
            .setType("env")
            .setConfig(new JsonObject().put("keys", envKeys).put("raw-data", true)));
    stores.add(
        new ConfigStoreOptions()
            .setType("sys")
            .setConfig(new JsonObject().put("cache", false).put("raw-data", true)));
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx, new ConfigRetrieverOptions().setScanPeriod(-1).setStores(stores));
    return retriever
        .getConfig()
        .recover(
            err ->
                Future.failedFuture(
                    new ConfigException(
                        "cannot read configuration"
                            + (confFile == null ? "" : " from " + confFile)
                            + ": "
                            + rootMessage(err))))
        .map(CandlecastConfig::from)
        .eventually(
            () -> {
              retriever.close();
              return Future.succeededFuture();
            });
  }

  /** Environment variables that start with CANDLECAST_ but name no setting (probably misspelt). */
  public static List<String> unknownEnvironmentVariables(Map<String, String> env) {
    List<String> unknown = new ArrayList<>();
    for (String name : env.keySet()) {
      if (name.startsWith("CANDLECAST_") && Settings.byEnvName(name) == null) {
        unknown.add(name);
      }
    }
    unknown.sort(null);
    return unknown;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
