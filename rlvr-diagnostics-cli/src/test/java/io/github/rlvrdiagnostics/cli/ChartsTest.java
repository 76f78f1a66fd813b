package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** {@link Charts#line}: short series as they are, long ones thinned to their runs' extremes. */
class ChartsTest {

  @Test
  void aLongSeriesKeepsItsSpikesInStepOrder() {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < 100_003; i++) {
      xs.add((double) i);
      ys.add(i == 54_321 ? 9.0 : i == 77_777 ? -9.0 : Math.sin(i / 1000.0));
    }
    XYChart chart = Charts.chart("t", "x", "y");
    XYSeries series = Charts.line(chart, "s", xs, ys);
    double[] tx = series.getXData();
    double[] ty = series.getYData();
    assertEquals(Charts.MAX_LINE_POINTS, tx.length);
    for (int i = 1; i < tx.length; i++) {
      assertTrue(tx[i] > tx[i - 1], "x in order at " + i);
    }
    List<Double> kept = new ArrayList<>();
    for (double y : ty) {
      kept.add(y);
    }
    assertTrue(kept.contains(9.0) && kept.contains(-9.0), "spikes kept");
    assertEquals(0.0, tx[0]);
    assertEquals(100_002.0, tx[tx.length - 1]); // sin rises through the last run: its highest point is the last
  }

  @Test
  void aShortSeriesIsDrawnAsItIs() {
    XYSeries series = Charts.line(Charts.chart("t", "x", "y"), "s", List.of(1.0, 2.0, 3.0), List.of(0.5, 0.25, 0.75));
    assertEquals(3, series.getXData().length);
    assertEquals(0.25, series.getYData()[1]);
  }
}
