package candlecast.client;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Protobuf messages of {@code ProtoFrames} (bench) read into the client's models. */
final class ProtoModels {
  private ProtoModels() {}

  static Candle candle(CodedInputStream in) throws IOException {
    String symbol = "";
    String tf = "";
    String src = null;
    long t = 0;
    long trades = 0;
    double o = 0;
    double h = 0;
    double l = 0;
    double c = 0;
    double v = 0;
    boolean closed = false;
    boolean partial = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag >>> 3) {
        case 1 -> symbol = in.readString();
        case 2 -> tf = in.readString();
        case 3 -> t = in.readInt64();
        case 4 -> o = in.readDouble();
        case 5 -> h = in.readDouble();
        case 6 -> l = in.readDouble();
        case 7 -> c = in.readDouble();
        case 8 -> v = in.readDouble();
        case 9 -> trades = in.readInt64();
        case 10 -> in.readUInt32();
        case 11 -> closed = in.readBool();
        case 12 -> partial = in.readBool();
        case 13 -> src = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new Candle(symbol, tf, t, o, h, l, c, v, trades, closed, partial, src);
  }

  static List<Trade> trades(CodedInputStream in) throws IOException {
    String symbol = "";
    List<Trade> out = new ArrayList<>();
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag >>> 3 == 1) {
        symbol = in.readString();
      } else if (tag >>> 3 == 2) {
        int limit = in.pushLimit(in.readRawVarint32());
        long id = 0;
        long t = 0;
        double p = 0;
        double q = 0;
        boolean sell = false;
        int f;
        while ((f = in.readTag()) != 0) {
          switch (f >>> 3) {
            case 1 -> id = in.readInt64();
            case 2 -> t = in.readInt64();
            case 3 -> p = in.readDouble();
            case 4 -> q = in.readDouble();
            case 5 -> sell = in.readBool();
            default -> in.skipField(f);
          }
        }
        in.popLimit(limit);
        out.add(new Trade(symbol, id, t, p, q, sell ? "sell" : "buy"));
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  static Book book(CodedInputStream in) throws IOException {
    String symbol = "";
    int depth = 0;
    long seq = 0;
    long time = 0;
    List<Book.Level> bids = List.of();
    List<Book.Level> asks = List.of();
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag >>> 3) {
        case 1 -> symbol = in.readString();
        case 2 -> depth = in.readUInt32();
        case 3 -> seq = in.readInt64();
        case 4 -> time = in.readInt64();
        case 5 -> bids = levels(in);
        case 6 -> asks = levels(in);
        default -> in.skipField(tag);
      }
    }
    return new Book(symbol, depth, seq, time, bids, asks);
  }

  private static List<Book.Level> levels(CodedInputStream in) throws IOException {
    int bytes = in.readRawVarint32();
    List<Book.Level> out = new ArrayList<>(bytes / 16);
    for (int i = 0; i < bytes / 16; i++) {
      out.add(new Book.Level(in.readDouble(), in.readDouble()));
    }
    return List.copyOf(out);
  }
}
