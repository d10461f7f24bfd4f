package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Topics;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.nodepool.ProcessRoles;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay of {@code deploy/k8s} with {@code kubectl kustomize} (no cluster needed),
 * parses every object strictly into the typed fabric8 Kubernetes and Strimzi models — an unknown
 * kind, or a field the model does not know (a misspelling), fails — and checks what the deployment
 * relies on.
 */
class K8sManifestsTest {
  static final Path K8S = Path.of("k8s");
  static final List<String> OVERLAYS = List.of("dev", "prod");
  static final List<String> ROLES = List.of("feed", "aggregator", "gateway");
  static final Pattern CANDLECAST_VAR = Pattern.compile("\\bCANDLECAST_[A-Z0-9_]+");

  /** Every kind the manifests may contain, with its model class. */
  static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "v1/Namespace", Namespace.class,
          "v1/ConfigMap", ConfigMap.class,
          "v1/Service", Service.class,
          "apps/v1/Deployment", Deployment.class,
          "networking.k8s.io/v1/Ingress", Ingress.class,
          "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
          "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
          "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
          "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
          "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class);

  static final Map<String, Class<? extends HasMetadata>> MORE_KINDS =
      Map.of("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class);

  static final ObjectMapper YAML =
      YAMLMapper.builder(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  // ------------------------------------------------------------------------------------------
  // rendering, parsing

  static String render(String overlay) throws IOException, InterruptedException {
    Path dir = K8S.resolve("overlays").resolve(overlay);
    Process p;
    try {
      p =
          new ProcessBuilder("kubectl", "kustomize", dir.toString())
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      throw new AssertionError(
          "kubectl is needed to render the manifests (Debian package kubernetes-client; "
              + ".ci/run installs it)",
          e);
    }
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
    return new String(out, StandardCharsets.UTF_8);
  }

  /**
   * Parses a multi-document YAML strictly: every document a known kind, every field known to its
   * model.
   */
  static List<HasMetadata> parseStrictly(String yaml) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
      if (doc == null || doc.isNull() || doc.isEmpty()) {
        continue;
      }
      String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
      Class<? extends HasMetadata> type =
          KINDS.containsKey(key) ? KINDS.get(key) : MORE_KINDS.get(key);
      if (type == null) {
        throw new AssertionError(
            "unexpected kind " + key + " (" + doc.path("metadata").path("name").asText() + ")");
      }
      HasMetadata o = YAML.treeToValue(doc, type);
      List<String> unknown = new ArrayList<>();
      unknownFields(o, key + " " + o.getMetadata().getName(), unknown, new IdentityHashMap<>());
      if (!unknown.isEmpty()) {
        throw new AssertionError("unknown fields (misspelt?): " + unknown);
      }
      out.add(o);
    }
    return out;
  }

  /**
   * Collects every non-empty {@code additionalProperties} (where the models keep fields they do not
   * know).
   */
  static void unknownFields(
      Object o, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (o == null || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object e : c) {
        unknownFields(e, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (o instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        unknownFields(e.getValue(), path + "." + e.getKey(), unknown, seen);
      }
      return;
    }
    String pkg = o.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8.kubernetes.api.model") && !pkg.startsWith("io.strimzi.api")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || Modifier.isStatic(m.getModifiers())
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object v;
      try {
        v = m.invoke(o);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
        continue;
      }
      unknownFields(v, path + "." + property(m.getName()), unknown, seen);
    }
  }

  private static String property(String getter) {
    String p = getter.substring(3);
    return p.isEmpty() ? p : Character.toLowerCase(p.charAt(0)) + p.substring(1);
  }

  static <T> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
    return ofType(objects, type).stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }

  // ------------------------------------------------------------------------------------------ the
  // checks

  @Test
  void theStrictParserRejectsMisspeltFieldsAndUnknownKinds() {
    String misspelt =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: x
        spec:
          selector:
            matchLabels: {a: b}
          template:
            metadata:
              labels: {a: b}
            spec:
              containers:
                - name: x
                  image: x
                  readinesProbe:
                    httpGet: {path: /ready, port: 8080}
        """;
    assertThatThrownBy(() -> parseStrictly(misspelt)).hasMessageContaining("readinesProbe");
    String strimziTypo =
        """
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: t
        spec:
          partitions: 3
          replica: 3
        """;
    assertThatThrownBy(() -> parseStrictly(strimziTypo)).hasMessageContaining("replica");
    String unknownKind =
        """
        apiVersion: v1
        kind: Secret
        metadata:
          name: s
        """;
    assertThatThrownBy(() -> parseStrictly(unknownKind))
        .hasMessageContaining("unexpected kind v1/Secret");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void overlayRendersIntoValidObjects(String overlay) throws Exception {
    List<HasMetadata> objects = parseStrictly(render(overlay));

    // One namespace, and every namespaced object in it.
    List<Namespace> namespaces = ofType(objects, Namespace.class);
    assertThat(namespaces).hasSize(1);
    String ns = namespaces.get(0).getMetadata().getName();
    for (HasMetadata o : objects) {
      if (!(o instanceof Namespace)) {
        assertThat(o.getMetadata().getNamespace())
            .as("namespace of %s %s", o.getKind(), o.getMetadata().getName())
            .isEqualTo(ns);
      }
    }

    ConfigMap config = named(objects, ConfigMap.class, "candlecast-config");
    Map<String, String> settings = config.getData();
    assertThat(settings).containsEntry("CANDLECAST_CLUSTER_DISCOVERY", "kubernetes");

    // Deployments: one per role, probes, resources, security contexts, the cluster wiring.
    List<Deployment> deployments = ofType(objects, Deployment.class);
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "candlecast-feed", "candlecast-aggregator", "candlecast-gateway");
    for (Deployment d : deployments) {
      String role = d.getMetadata().getName().substring("candlecast-".length());
      checkDeployment(d, role);
    }
    Deployment feed = named(objects, Deployment.class, "candlecast-feed");
    assertThat(feed.getSpec().getReplicas()).as("a leader and a standby").isEqualTo(2);
    assertThat(feed.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(feed.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
    for (String role : List.of("aggregator", "gateway")) {
      Deployment d = named(objects, Deployment.class, "candlecast-" + role);
      assertThat(d.getSpec().getReplicas()).as(role + " replicas").isGreaterThanOrEqualTo(2);
      assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
      // one pod at a time
      assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
          .isZero();
      assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal())
          .isEqualTo(1);
    }

    // Hazelcast discovery: a headless Service, publishing not-ready pods, selecting every role's
    // pods.
    String dns = settings.get(Settings.CLUSTER_KUBERNETES_SERVICE_DNS.envName());
    Service headless = named(objects, Service.class, dns.split("\\.", -1)[0]);
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(headless.getSpec().getPorts())
        .extracting(p -> p.getPort())
        .contains(
            Integer.parseInt(settings.get(Settings.CLUSTER_PORT.envName())),
            Integer.parseInt(settings.get(Settings.CLUSTER_BUS_PORT.envName())));
    for (Deployment d : deployments) {
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(headless.getSpec().getSelector());
    }

    // The gateway: Service selecting gateway pods only, Ingress with WebSocket timeouts,
    // autoscaler, budgets.
    Service gatewaySvc = named(objects, Service.class, "candlecast-gateway");
    assertThat(gatewaySvc.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/component", "gateway");
    Ingress ingress = named(objects, Ingress.class, "candlecast");
    assertThat(ingress.getSpec().getRules())
        .allSatisfy(
            r ->
                assertThat(r.getHttp().getPaths())
                    .allSatisfy(
                        p ->
                            assertThat(p.getBackend().getService().getName())
                                .isEqualTo("candlecast-gateway")));
    Map<String, String> ann = ingress.getMetadata().getAnnotations();
    assertThat(Integer.parseInt(ann.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
        .isGreaterThanOrEqualTo(3600);
    assertThat(Integer.parseInt(ann.get("nginx.ingress.kubernetes.io/proxy-send-timeout")))
        .isGreaterThanOrEqualTo(3600);
    // SockJS sessions over HTTP fallbacks live on one gateway
    assertThat(ann).containsEntry("nginx.ingress.kubernetes.io/affinity", "cookie");
    HorizontalPodAutoscaler hpa =
        named(objects, HorizontalPodAutoscaler.class, "candlecast-gateway");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("candlecast-gateway");
    assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    List<PodDisruptionBudget> pdbs = ofType(objects, PodDisruptionBudget.class);
    assertThat(pdbs)
        .extracting(
            p -> p.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/component"))
        .contains("aggregator", "gateway");

    checkNetworkPolicies(ofType(objects, NetworkPolicy.class));
    checkKafka(objects, settings);

    // Every CANDLECAST_* variable in the manifests is a setting the launcher knows.
    Set<String> vars = new TreeSet<>(settings.keySet());
    for (Deployment d : deployments) {
      for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
        if (c.getEnv() != null) {
          c.getEnv().stream().map(EnvVar::getName).forEach(vars::add);
        }
      }
    }
    Matcher m = CANDLECAST_VAR.matcher(Files.readString(Path.of("Dockerfile")));
    while (m.find()) {
      vars.add(m.group());
    }
    for (String v : vars) {
      if (v.startsWith("CANDLECAST_")) {
        assertThat(Settings.byEnvName(v))
            .as("%s is a Candlecast setting (see --help)", v)
            .isNotNull();
      }
    }
  }

  private static void checkDeployment(Deployment d, String role) {
    assertThat(ROLES).contains(role);
    PodSpec pod = d.getSpec().getTemplate().getSpec();
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/component", role);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(role + " runAsNonRoot").isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).as(role + " uid").isPositive();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getContainers()).hasSize(1);
    Container c = pod.getContainers().get(0);
    assertThat(c.getArgs()).containsExactly(role, "--cluster");
    assertThat(c.getImage()).startsWith(c.getImage().contains("/") ? c.getImage() : "candlecast:");
    checkProbe(c.getLivenessProbe(), "/health", role + " liveness");
    checkProbe(c.getReadinessProbe(), "/ready", role + " readiness");
    assertThat(c.getResources().getRequests()).as(role + " requests").containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).as(role + " limits").containsKeys("cpu", "memory");
    assertThat(Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")))
        .isGreaterThanOrEqualTo(
            Quantity.getAmountInBytes(c.getResources().getRequests().get("memory")));
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
        .as(role + " read-only root")
        .isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
    assertThat(c.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    // Hazelcast and the event bus advertise the pod IP.
    assertThat(c.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo(Settings.CLUSTER_HOST.envName());
              assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
            });
    assertThat(c.getEnvFrom())
        .anySatisfy(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("candlecast-config"));
    // Writable paths are volumes: /tmp (Vert.x file cache) and the data directory.
    assertThat(c.getVolumeMounts())
        .extracting(v -> v.getMountPath())
        .contains("/tmp", "/var/lib/candlecast");
  }

  private static void checkProbe(Probe p, String path, String what) {
    assertThat(p).as(what).isNotNull();
    assertThat(p.getHttpGet().getPath()).as(what).isEqualTo(path);
    assertThat(p.getHttpGet().getPort().getStrVal()).as(what).isEqualTo("http");
  }

  private static void checkNetworkPolicies(List<NetworkPolicy> policies) {
    NetworkPolicy deny =
        policies.stream()
            .filter(
                p ->
                    p.getSpec().getPodSelector().getMatchLabels() == null
                        || p.getSpec().getPodSelector().getMatchLabels().isEmpty())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no default-deny NetworkPolicy"));
    assertThat(deny.getSpec().getPolicyTypes()).contains("Ingress");
    assertThat(deny.getSpec().getIngress()).isNullOrEmpty();
    // Only the gateway is reachable from outside: every rule without a 'from' selects gateway pods,
    // port 8080.
    for (NetworkPolicy p : policies) {
      for (NetworkPolicyIngressRule r :
          p.getSpec().getIngress() == null
              ? List.<NetworkPolicyIngressRule>of()
              : p.getSpec().getIngress()) {
        if (r.getFrom() == null || r.getFrom().isEmpty()) {
          assertThat(p.getSpec().getPodSelector().getMatchLabels())
              .as("open ingress of %s", p.getMetadata().getName())
              .containsEntry("app.kubernetes.io/component", "gateway");
          assertThat(r.getPorts()).extracting(x -> x.getPort().getIntVal()).containsExactly(8080);
        }
      }
    }
  }

  private static void checkKafka(List<HasMetadata> objects, Map<String, String> settings) {
    Kafka kafka = ofType(objects, Kafka.class).get(0);
    String cluster = kafka.getMetadata().getName();
    assertThat(kafka.getMetadata().getAnnotations())
        .containsEntry("strimzi.io/kraft", "enabled")
        .containsEntry("strimzi.io/node-pools", "enabled");
    assertThat(settings.get(Settings.KAFKA_BOOTSTRAP_SERVERS.envName()))
        .startsWith(cluster + "-kafka-bootstrap:");
    assertThat(kafka.getSpec().getKafka().getListeners())
        .anySatisfy(
            l ->
                assertThat(settings.get(Settings.KAFKA_BOOTSTRAP_SERVERS.envName()))
                    .endsWith(":" + l.getPort()));
    List<KafkaNodePool> pools = ofType(objects, KafkaNodePool.class);
    assertThat(pools).hasSize(1);
    KafkaNodePool pool = pools.get(0);
    assertThat(pool.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
    assertThat(pool.getSpec().getReplicas()).isEqualTo(3);
    assertThat(pool.getSpec().getRoles())
        .containsExactlyInAnyOrder(ProcessRoles.CONTROLLER, ProcessRoles.BROKER);

    // The topics Candlecast creates itself, with the same partitions and cleanup policy.
    int partitions = Integer.parseInt(settings.get(Settings.KAFKA_PARTITIONS.envName()));
    Map<String, KafkaTopic> topics = new LinkedHashMap<>();
    for (KafkaTopic t : ofType(objects, KafkaTopic.class)) {
      assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", cluster);
      String name =
          t.getSpec().getTopicName() != null
              ? t.getSpec().getTopicName()
              : t.getMetadata().getName();
      topics.put(name, t);
    }
    for (NewTopic expected : KafkaTopics.topics(partitions)) {
      KafkaTopic t = topics.get(expected.name());
      assertThat(t).as("KafkaTopic for %s", expected.name()).isNotNull();
      assertThat(t.getSpec().getPartitions())
          .as(expected.name() + " partitions")
          .isEqualTo(expected.numPartitions());
      assertThat(t.getSpec().getReplicas()).as(expected.name() + " replicas").isEqualTo(3);
      Map<String, Object> cfg =
          t.getSpec().getConfig() == null ? Map.of() : t.getSpec().getConfig();
      String cleanup = expected.configs() == null ? null : expected.configs().get("cleanup.policy");
      assertThat(
              cfg.get("cleanup.policy") == null ? null : String.valueOf(cfg.get("cleanup.policy")))
          .as(expected.name() + " cleanup.policy")
          .isEqualTo(cleanup);
    }
    assertThat(topics.keySet())
        .contains(
            Topics.TRADES,
            Topics.CANDLES,
            Topics.TRADES_DLQ,
            Topics.TRADES_LATE,
            Topics.CHECKPOINTS);
  }

  @Test
  void dockerfileBuildsANonRootJreImageOfTheShadedJar() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
    List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(from).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
    assertThat(from.get(from.size() - 1)).contains("-jre");
    String user =
        lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user).doesNotContain("root").matches("USER [1-9][0-9]*(:[1-9][0-9]*)?");
    assertThat(lines)
        .anyMatch(
            l -> l.startsWith("COPY --from=build") && l.contains("deploy/target/candlecast.jar"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("/app/candlecast.jar"));
    // The start-up archive the entry point maps is written in the runtime stage, by its own JVM.
    List<String> runtime = lines.subList(lines.indexOf(from.get(from.size() - 1)), lines.size());
    assertThat(runtime)
        .anyMatch(
            l ->
                l.startsWith("RUN java -XX:ArchiveClassesAtExit=/app/candlecast.jsa")
                    && l.contains("-Xlog"));
    assertThat(String.join("\n", runtime)).contains("candlecast.deploy.CdsTraining");
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith("ENTRYPOINT")
                    && l.contains("\"-XX:SharedArchiveFile=/app/candlecast.jsa\""));
    // The Deployments' security context runs as the image's user.
    Matcher uid = Pattern.compile("USER (\\d+)").matcher(user);
    assertThat(uid.find()).isTrue();
    for (String overlay : OVERLAYS) {
      for (Deployment d : ofType(parseStrictly(render(overlay)), Deployment.class)) {
        assertThat(d.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
            .isEqualTo(Long.parseLong(uid.group(1)));
      }
    }
  }
}
