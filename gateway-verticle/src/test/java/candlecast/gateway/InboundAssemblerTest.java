package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fragment joining and the size limit of incoming messages, without sockets. */
class InboundAssemblerTest {
  private static final int MAX = 16;

  private final List<String> got = new ArrayList<>();
  private final InboundAssembler in =
      new InboundAssembler(
          MAX,
          new InboundAssembler.Receiver() {
            @Override
            public void text(Buffer utf8) {
              got.add("text:" + utf8);
            }

            @Override
            public void binary(int length) {
              got.add("binary:" + length);
            }

            @Override
            public void tooBig() {
              got.add("tooBig");
            }
          });

  @Test
  void aWholeTextFrameIsOneMessage() {
    in.frame(WebSocketFrame.textFrame("sub-1m", true));
    assertThat(got).containsExactly("text:sub-1m");
    assertThat(in.incomplete()).isFalse();
  }

  @Test
  void fragmentsAreJoinedInOrder() {
    in.frame(WebSocketFrame.textFrame("{\"type\"", false));
    assertThat(in.incomplete()).isTrue();
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer(":\"pi"), false));
    assertThat(got).isEmpty();
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer("ng\"}"), true));
    assertThat(got).containsExactly("text:{\"type\":\"ping\"}");
    assertThat(in.incomplete()).isFalse();
  }

  @Test
  void aTextMessageOfExactlyTheLimitPassesOneByteMoreIsTooBig() {
    in.frame(WebSocketFrame.textFrame("x".repeat(MAX), true));
    in.frame(WebSocketFrame.textFrame("x".repeat(MAX + 1), true));
    assertThat(got).containsExactly("text:" + "x".repeat(MAX), "tooBig");
  }

  @Test
  void fragmentsOutgrowingTheLimitAreDroppedAtTheFrameThatCrossesIt() {
    in.frame(WebSocketFrame.textFrame("x".repeat(10), false));
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer("y".repeat(6)), false));
    assertThat(got).as("16 bytes: still within the limit").isEmpty();
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer("z"), false));
    assertThat(got).containsExactly("tooBig");
    assertThat(in.incomplete()).as("the message is dropped").isFalse();
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer("z"), true));
    assertThat(got).as("the rest of it is a stray continuation").containsExactly("tooBig");
  }

  @Test
  void binaryMessagesAreReportedByLengthWholeOrFragmented() {
    in.frame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[40]), true));
    in.frame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[5]), false));
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[7]), true));
    assertThat(got)
        .as("a whole binary frame is not held, so the transport bounds it")
        .containsExactly("binary:40", "binary:12");
    in.frame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[10]), false));
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[7]), true));
    assertThat(got).endsWith("tooBig");
  }

  @Test
  void strayContinuationsAndControlFramesAreIgnored() {
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer("x"), true));
    in.frame(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    in.frame(WebSocketFrame.pongFrame(Buffer.buffer("p")));
    assertThat(got).isEmpty();
    in.frame(WebSocketFrame.textFrame("a", false));
    in.frame(
        WebSocketFrame.pingFrame(Buffer.buffer("p"))); // control frames may come between fragments
    in.frame(WebSocketFrame.continuationFrame(Buffer.buffer("b"), true));
    assertThat(got).containsExactly("text:ab");
  }

  @Test
  void aNewMessageStartsAfterOneThatWasTooBig() {
    in.frame(WebSocketFrame.textFrame("x".repeat(MAX + 1), false));
    in.frame(WebSocketFrame.textFrame("ok", true));
    assertThat(got).containsExactly("tooBig", "text:ok");
  }
}
