package candlecast.common;

/** The taker's side of a trade. */
public enum Side {
  BUY("buy"),
  SELL("sell");

  private final String wire;

  Side(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Parses "buy"/"sell" (case-insensitive); null for anything else. */
  public static Side tryParse(String s) {
    if (s == null) {
      return null;
    }
    if (s.equalsIgnoreCase("buy")) {
      return BUY;
    }
    if (s.equalsIgnoreCase("sell")) {
      return SELL;
    }
    return null;
  }

  @Override
  public String toString() {
    return wire;
  }
}
