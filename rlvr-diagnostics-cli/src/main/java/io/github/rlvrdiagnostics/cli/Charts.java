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

  public static XYSeries line(XYChart chart, String name, List<Double> xs, List<Double> ys) {
    XYSeries series = chart.addSeries(name, xs, ys);
    series.setMarker(SeriesMarkers.CIRCLE);
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

  public static void save(XYChart chart, Path file) {
    try {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new InputException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
