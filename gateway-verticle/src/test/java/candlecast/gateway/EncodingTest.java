package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code encoding} upgrade parameter: what it accepts and the error of everything else. */
class EncodingTest {
  @Test
  void absentOrJsonIsJsonAndBinaryIsBinaryOnWsOnly() {
    assertThat(Encoding.check(List.of(), true)).isNull();
    assertThat(Encoding.check(List.of("json"), true)).isNull();
    assertThat(Encoding.check(List.of("binary"), true)).isNull();
    assertThat(Encoding.binary(List.of("binary"))).isTrue();
    assertThat(Encoding.binary(List.of("json"))).isFalse();
    assertThat(Encoding.binary(List.of())).isFalse();
    assertThat(Encoding.check(List.of("binary"), false)).contains("offered on /ws only");
    assertThat(Encoding.check(List.of("json"), false)).isNull();
  }

  @Test
  void unknownEmptyCaseVariantOrRepeatedIsAClearError() {
    assertThat(Encoding.check(List.of("protobuf"), true))
        .isEqualTo(
            "unknown encoding 'protobuf': use encoding=json (the default) or encoding=binary");
    assertThat(Encoding.check(List.of(""), true)).startsWith("unknown encoding ''");
    assertThat(Encoding.check(List.of("BINARY"), true)).startsWith("unknown encoding 'BINARY'");
    assertThat(Encoding.check(List.of("x".repeat(10_000)), true)).hasSizeLessThan(400);
    assertThat(Encoding.check(List.of("binary", "json"), true))
        .isEqualTo("give 'encoding' once, not 2 times");
  }
}
