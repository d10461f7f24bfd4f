package candlecast.common;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonParser.NumberType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Jackson plumbing shared by {@link TradeCodec} and {@link CandleCodec}: one factory, streaming
 * writes, and typed reads of a field's value that fail with the codecs' {@link DecodeException}
 * messages.
 */
public final class Json {
  static final JsonFactory FACTORY = new JsonFactory();

  /** A shared, thread-safe mapper for reading JSON trees (e.g. exchange messages). */
  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}

  /** Writes one JSON value through a generator. */
  @FunctionalInterface
  interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  /** The bytes {@code writer} generates (UTF-8). */
  static byte[] write(int sizeHint, Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Moves {@code p} onto the start of the top-level object. */
  static void startObject(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw new DecodeException("expected a JSON object");
    }
  }

  /** {@code tok} is what followed the object's last field: it must close the object. */
  static void endObject(JsonToken tok) {
    if (tok != JsonToken.END_OBJECT) {
      throw new DecodeException("malformed JSON object");
    }
  }

  /** The value as a string, or null when it is not one. */
  static String stringOrNull(JsonParser p, JsonToken v) throws IOException {
    return v == JsonToken.VALUE_STRING ? p.getText() : null;
  }

  static long integral(JsonParser p, JsonToken v, String field) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == NumberType.BIG_INTEGER) {
      throw new DecodeException("field '" + field + "' must be an integer");
    }
    return p.getLongValue();
  }

  static double number(JsonParser p, JsonToken v, String field) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new DecodeException("field '" + field + "' must be a number");
    }
    return p.getDoubleValue();
  }

  /** The decode error for a parser failure. */
  static DecodeException malformed(IOException e) {
    return new DecodeException(
        "malformed JSON: "
            + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
  }
}
