package candlecast.feed;

import java.util.List;

/** What every {@link TradeSource} shares: its name, its symbols and the gate it writes through. */
abstract class SourceBase implements TradeSource {
  protected final TradeGate gate;
  protected final List<String> symbols;
  private final String name;

  SourceBase(String name, TradeGate gate, List<String> symbols) {
    this.name = name;
    this.gate = gate;
    this.symbols = List.copyOf(symbols);
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final List<String> symbols() {
    return symbols;
  }

  @Override
  public final TradeGate gate() {
    return gate;
  }
}
