package candlecast.common.alerts;

/**
 * The condition kinds of an alert (docs/PROTOCOL.md "Alerts"), with their wire names. Trade-driven
 * kinds fire on a trade (fire id {@code <alert>|t:<offset>}); the others on a closed candle (fire
 * id {@code <alert>|c:<tf>:<openTime>}).
 */
public enum AlertKind {
  PRICE_ABOVE("price_above", true, false),
  PRICE_BELOW("price_below", true, false),
  MOVE_UP("move_up", true, false),
  MOVE_DOWN("move_down", true, false),
  VOLUME_SPIKE("volume_spike", false, true),
  BREAKOUT_HIGH("breakout_high", true, true),
  BREAKOUT_LOW("breakout_low", true, true),
  RSI_ABOVE("rsi_above", false, true),
  RSI_BELOW("rsi_below", false, true),
  SMA_CROSS_ABOVE("sma_cross_above", false, true),
  SMA_CROSS_BELOW("sma_cross_below", false, true);

  private static final AlertKind[] ALL = values();

  private final String wire;
  private final boolean onTrade;
  private final boolean candleKind;

  AlertKind(String wire, boolean onTrade, boolean candleKind) {
    this.wire = wire;
    this.onTrade = onTrade;
    this.candleKind = candleKind;
  }

  /** The name on the wire, e.g. {@code price_above}. */
  public String wire() {
    return wire;
  }

  /** Whether the kind fires on a trade (else on a closed candle). */
  public boolean onTrade() {
    return onTrade;
  }

  /**
   * Whether the kind has a timeframe and needs the owner's recent closed windows of it ({@code
   * seed}) at creation: volume spikes, breakouts, RSI and SMA conditions.
   */
  public boolean candleKind() {
    return candleKind;
  }

  /** Whether a rising value crosses (above, up, high) rather than a falling one. */
  public boolean upward() {
    return switch (this) {
      case PRICE_ABOVE, MOVE_UP, VOLUME_SPIKE, BREAKOUT_HIGH, RSI_ABOVE, SMA_CROSS_ABOVE -> true;
      default -> false;
    };
  }

  /** The kind with wire name {@code s}, or null. */
  public static AlertKind ofWire(String s) {
    for (AlertKind k : ALL) {
      if (k.wire.equals(s)) {
        return k;
      }
    }
    return null;
  }

  /** Every wire name, comma separated (for error messages). */
  public static String wireNames() {
    StringBuilder sb = new StringBuilder();
    for (AlertKind k : ALL) {
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append(k.wire);
    }
    return sb.toString();
  }
}
