package io.github.rlvrdiagnostics.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts for the reports, drawn with XChart (headless). */
public final class Charts {
  private Charts() {}

  public static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesVisible(true);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setLocale(java.util.Locale.ROOT); // axis numbers as in the text: 0.5, not 0,5
    return chart;
  }

  /** The most points a line is drawn with; a chart is 900 pixels wide. */
  static final int MAX_LINE_POINTS = 2_000;

  /**
   * A line with a marker at each point; a series longer than {@link #MAX_LINE_POINTS} (a long
   * training log) is drawn through each of {@code MAX_LINE_POINTS / 2} runs' lowest and highest
   * points, in step order, without markers, so that spikes stay visible and drawing stays fast.
   */
  public static XYSeries line(XYChart chart, String name, List<Double> xs, List<Double> ys) {
    if (xs.size() <= MAX_LINE_POINTS) {
      XYSeries series = chart.addSeries(name, xs, ys);
      series.setMarker(SeriesMarkers.CIRCLE);
      return series;
    }
    List<Double> tx = new java.util.ArrayList<>();
    List<Double> ty = new java.util.ArrayList<>();
    int runs = MAX_LINE_POINTS / 2;
    for (int r = 0; r < runs; r++) {
      int from = (int) ((long) xs.size() * r / runs);
      int to = (int) ((long) xs.size() * (r + 1) / runs);
      int lo = from;
      int hi = from;
      for (int i = from; i < to; i++) {
        lo = ys.get(i) < ys.get(lo) ? i : lo;
        hi = ys.get(i) > ys.get(hi) ? i : hi;
      }
      for (int i : lo <= hi ? new int[] {lo, hi} : new int[] {hi, lo}) {
        tx.add(xs.get(i));
        ty.add(ys.get(i));
      }
    }
    XYSeries series = chart.addSeries(name, tx, ty);
    series.setMarker(SeriesMarkers.NONE);
    return series;
  }

  /** A dashed reference line from {@code (x0, y0)} to {@code (x1, y1)}. */
  public static XYSeries guide(XYChart chart, String name, double x0, double y0, double x1, double y1, Color color) {
    XYSeries series = chart.addSeries(name, new double[] {x0, x1}, new double[] {y0, y1});
    series.setMarker(SeriesMarkers.NONE);
    series.setLineStyle(SeriesLines.DASH_DASH);
    series.setLineColor(color);
    return series;
  }

  public static XYSeries points(XYChart chart, String name, List<Double> xs, List<Double> ys) {
    XYSeries series = chart.addSeries(name, xs, ys);
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    series.setMarker(SeriesMarkers.CIRCLE);
    chart.getStyler().setMarkerSize(10);
    return series;
  }

  /** One colour per run state, so the bands read the same in every report. */
  private static Color stateColor(io.github.rlvrdiagnostics.api.RunState state) {
    return switch (state) {
      case LEARNING -> new Color(40, 150, 60);
      case PLATEAU -> new Color(220, 170, 30);
      case SATURATED -> new Color(60, 120, 200);
      case STARVED -> new Color(150, 90, 200);
      case COLLAPSED -> new Color(200, 40, 40);
      case REGRESSING -> new Color(230, 110, 30);
      case UNKNOWN -> new Color(160, 160, 160);
    };
  }

  /**
   * The run's verdicts as coloured bands at height {@code y}: one series per state, its stretches
   * drawn as thick segments separated by gaps (a NaN point, which XChart does not draw through).
   */
  static void bands(XYChart chart, List<io.github.rlvrdiagnostics.api.Verdict> verdicts, double y) {
    java.util.Map<io.github.rlvrdiagnostics.api.RunState, List<double[]>> byState =
        new java.util.EnumMap<>(io.github.rlvrdiagnostics.api.RunState.class);
    for (io.github.rlvrdiagnostics.api.Verdict v : verdicts) {
      byState.computeIfAbsent(v.state(), k -> new java.util.ArrayList<>()).add(new double[] {v.fromStep(), v.toStep()});
    }
    byState.forEach((state, stretches) -> {
      List<Double> xs = new java.util.ArrayList<>();
      List<Double> ys = new java.util.ArrayList<>();
      for (double[] s : stretches) {
        xs.add(s[0]);
        ys.add(y);
        xs.add(s[1]);
        ys.add(y);
        xs.add(s[1]);
        ys.add(Double.NaN);
      }
      XYSeries series = chart.addSeries("state " + state, xs, ys);
      series.setMarker(SeriesMarkers.NONE);
      series.setLineStyle(new java.awt.BasicStroke(8f));
      series.setLineColor(stateColor(state));
    });
  }

  public static void save(XYChart chart, Path file) {
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new InputException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
