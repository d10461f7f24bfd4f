package candlecast.gateway;

/**
 * The portfolio stream of the seed's stream service, spoken on {@code /ws/portfolio} (issue 17):
 * the messages of {@code /ws/stream} (welcome, subscribe and unsubscribe by symbol, heartbeat,
 * ping, errors: {@link SeedStreamMessages}), a subscription streaming the symbol's position in the
 * connection owner's portfolio ({@link PortfolioValuation#seedData}), coalesced like every
 * valuation ({@link PortfolioHub}).
 */
final class PortfolioStreamDialect extends SeedStreamMessages {
  static final String PATH = "/ws/portfolio";

  @Override
  long now() {
    return System.currentTimeMillis();
  }

  @Override
  public Command parse(String text) {
    Command c = StreamCommandParser.parse(text);
    if (c instanceof Command.StreamSubscribe s) {
      return new Command.PortfolioStreamSubscribe(s.symbol(), s.spelling());
    }
    if (c instanceof Command.StreamUnsubscribe u) {
      return new Command.PortfolioStreamUnsubscribe(u.symbol(), u.spelling());
    }
    return c;
  }
}
