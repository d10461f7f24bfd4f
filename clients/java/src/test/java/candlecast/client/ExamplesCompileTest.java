package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples and the bench driver (run in source-file mode, outside the build) compile against
 * this API.
 */
class ExamplesCompileTest {
  @TempDir Path out;

  @Test
  void examplesAndTheBenchDriverCompile() throws IOException {
    List<String> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(Path.of("examples"))) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.toString()));
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(3);
    files.add(Path.of("../../bench/clients/java/Driver.java").toString());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    for (String f : files) {
      StringWriter err = new StringWriter();
      List<String> args =
          List.of(
              "-d", out.toString(), "-cp", System.getProperty("java.class.path"), "-Xlint:none", f);
      int rc = javac.run(null, null, null, args.toArray(new String[0]));
      assertThat(rc).as("javac %s %s", f, err).isZero();
    }
  }
}
