package candlecast.gateway;

/**
 * The analysis stream of the seed's stream service, spoken on {@code /ws/analysis} (issue 16): the
 * messages of {@code /ws/stream} ({@link StreamCommandParser}, {@link StreamFrames}: welcome,
 * subscribe and unsubscribe by symbol, heartbeat, ping, errors), but a subscription streams the
 * symbol's analysis: the {@code data} message of {@link AnalysisFrames}, composed by the node's
 * {@link AnalysisComposer} of the (symbol, timeframe) ({@link AnalysisStreams}) and sent as is to
 * every subscriber.
 *
 * <p>One per gateway instance. Event-loop confined.
 */
final class AnalysisStreamDialect extends SeedStreamMessages {
  static final String PATH = "/ws/analysis";

  private final AnalysisStreams streams;

  /**
   * @param streams the node's composers (shared by its instances' dialects)
   */
  AnalysisStreamDialect(AnalysisStreams streams) {
    this.streams = streams;
  }

  AnalysisStreams streams() {
    return streams;
  }

  @Override
  long now() {
    return streams.now();
  }

  /** The stream service's messages, a subscription being to the symbol's analysis. */
  @Override
  public Command parse(String text) {
    Command c = StreamCommandParser.parse(text);
    if (c instanceof Command.StreamSubscribe s) {
      return new Command.AnalysisStreamSubscribe(s.symbol(), s.spelling(), s.tf());
    }
    if (c instanceof Command.StreamUnsubscribe u) {
      return new Command.AnalysisStreamUnsubscribe(u.symbol(), u.spelling());
    }
    return c;
  }
}
