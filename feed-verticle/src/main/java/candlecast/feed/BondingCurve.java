package candlecast.feed;

/**
 * A PumpFun-style bonding curve: constant product of virtual SOL and virtual token reserves. Buying
 * with SOL takes tokens out, selling tokens takes SOL out; the spot price is {@code virtualSol /
 * virtualTokens} SOL per token. Pure and not thread-safe.
 *
 * <p>Numbers as on pump.fun: 30 virtual SOL and 1,073,000,000 virtual tokens at launch, of which
 * 793,100,000 are real (for sale on the curve). Token amounts have 6 decimals and SOL amounts 9
 * (lamports); each trade's amounts are rounded in the curve's favour, so the product never
 * decreases.
 */
final class BondingCurve {
  static final double INITIAL_VIRTUAL_SOL = 30.0;
  static final double INITIAL_VIRTUAL_TOKENS = 1_073_000_000.0;
  static final double INITIAL_REAL_TOKENS = 793_100_000.0;
  private static final double TOKEN_UNITS = 1e6;
  private static final double LAMPORTS = 1e9;

  private double virtualSol;
  private double virtualTokens;
  private final double k;

  /**
   * A curve on which {@code tokensSold} (0 ≤ tokensSold < 793,100,000) tokens have already been
   * bought.
   */
  BondingCurve(double tokensSold) {
    if (!(tokensSold >= 0 && tokensSold < INITIAL_REAL_TOKENS)) {
      throw new IllegalArgumentException(
          "tokensSold must be in [0, " + INITIAL_REAL_TOKENS + "), was " + tokensSold);
    }
    k = INITIAL_VIRTUAL_SOL * INITIAL_VIRTUAL_TOKENS;
    virtualTokens = INITIAL_VIRTUAL_TOKENS - tokensSold;
    virtualSol = k / virtualTokens;
  }

  double virtualSol() {
    return virtualSol;
  }

  double virtualTokens() {
    return virtualTokens;
  }

  /** Spot price in SOL per token. */
  double price() {
    return virtualSol / virtualTokens;
  }

  double product() {
    return virtualSol * virtualTokens;
  }

  double initialProduct() {
    return k;
  }

  double tokensSold() {
    return INITIAL_VIRTUAL_TOKENS - virtualTokens;
  }

  /** Tokens still for sale on the curve. */
  double realTokenReserves() {
    return INITIAL_REAL_TOKENS - tokensSold();
  }

  /**
   * Buys tokens for {@code sol} SOL (rounded down to lamports). Returns {solPaid, tokensReceived};
   * tokens are capped at the real reserves, the SOL charged then recomputed for exactly that many
   * tokens.
   */
  double[] buy(double sol) {
    double solIn = Math.floor(sol * LAMPORTS) / LAMPORTS;
    if (!(solIn > 0)) {
      throw new IllegalArgumentException("sol must be >= 1 lamport, was " + sol);
    }
    double tokensOut =
        Math.floor((virtualTokens - k / (virtualSol + solIn)) * TOKEN_UNITS) / TOKEN_UNITS;
    double cap = Math.floor(realTokenReserves() * TOKEN_UNITS) / TOKEN_UNITS;
    if (tokensOut > cap) {
      tokensOut = cap;
      solIn = Math.ceil((k / (virtualTokens - tokensOut) - virtualSol) * LAMPORTS) / LAMPORTS;
    }
    if (!(tokensOut > 0)) {
      throw new IllegalStateException("no tokens left on the curve");
    }
    virtualSol += solIn;
    virtualTokens -= tokensOut;
    return new double[] {solIn, tokensOut};
  }

  /**
   * Sells {@code tokens} (rounded down to token units, capped at the tokens sold so far). Returns
   * {solOut, tokensIn}.
   */
  double[] sell(double tokens) {
    double tokensIn =
        Math.min(
            Math.floor(tokens * TOKEN_UNITS) / TOKEN_UNITS,
            Math.floor(tokensSold() * TOKEN_UNITS) / TOKEN_UNITS);
    if (!(tokensIn > 0)) {
      throw new IllegalArgumentException(
          "tokens must be >= 1 unit and some must have been sold, was " + tokens);
    }
    double solOut = Math.floor((virtualSol - k / (virtualTokens + tokensIn)) * LAMPORTS) / LAMPORTS;
    virtualSol -= solOut;
    virtualTokens += tokensIn;
    return new double[] {solOut, tokensIn};
  }
}
