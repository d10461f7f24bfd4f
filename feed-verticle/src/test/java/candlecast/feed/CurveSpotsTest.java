package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import candlecast.common.Side;
import candlecast.common.Trade;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CurveSpotsTest {
  @Test
  void recomputesEverySpotOfARandomWalkOnTheCurve() {
    Random rnd = new Random(7);
    BondingCurve curve = new BondingCurve(200_000_000);
    List<Double> expected = new ArrayList<>(List.of(curve.price()));
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      boolean buy = rnd.nextBoolean();
      double[] r =
          buy
              ? curve.buy(0.01 + rnd.nextDouble() * 3)
              : curve.sell(1e3 + curve.tokensSold() * rnd.nextDouble() * 0.05);
      trades.add(new Trade("MBPUMP", i + 1, i, r[0] / r[1], r[1], buy ? Side.BUY : Side.SELL));
      expected.add(curve.price());
    }
    List<Double> spots = CurveSpots.after(trades);
    assertThat(spots).hasSameSizeAs(expected);
    for (int i = 0; i < spots.size(); i++) {
      assertThat(spots.get(i) / expected.get(i)).as("spot %d", i).isCloseTo(1.0, within(1e-6));
    }
  }
}
