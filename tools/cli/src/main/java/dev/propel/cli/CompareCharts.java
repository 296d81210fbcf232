package dev.propel.cli;

import dev.propel.train.EpochMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The charts of the comparison report, drawn with XChart and encoded as PNG: training curves of both
 * runs, per-class accuracy bars and confusion-matrix heat maps. Rendering needs no display
 * ({@code java.awt.headless} is set before the first chart is made).
 */
final class CompareCharts {
    static final Color A_COLOR = new Color(0x1f, 0x77, 0xb4);
    static final Color B_COLOR = new Color(0xff, 0x7f, 0x0e);
    private static final int WIDTH = 640;
    private static final int HEIGHT = 380;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private CompareCharts() {
    }

    /** PNG bytes of a chart drawn at twice its size, so it stays sharp on high-density screens when shown at its size. */
    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode a chart as PNG: " + e.getMessage(), e);
        } catch (RuntimeException | InternalError | UnsatisfiedLinkError e) {
            // Java's AWT draws the text of a chart with the system's fonts, found through fontconfig.
            throw new IllegalStateException("could not draw the chart '" + chart.getTitle() + "' (" + e
                    + "); Java needs fontconfig and at least one font: apt-get install fontconfig fonts-dejavu-core", e);
        }
    }

    /**
     * A metric per epoch for both runs ({@code null} when neither file records its training, or the metric is
     * absent throughout).
     */
    static XYChart curves(String title, String yTitle, ModelComparison c, ToDoubleFunction<EpochMetrics> metric) {
        return curves(title, yTitle, c, metric, false);
    }

    /**
     * As {@link #curves(String, String, ModelComparison, ToDoubleFunction)}, on a logarithmic y axis when
     * {@code logarithmic}: the two algorithms' losses differ by orders of magnitude (Forward-Forward sums its
     * layers' losses), so on a linear axis the smaller curve would be a flat line at zero.
     */
    static XYChart curves(String title, String yTitle, ModelComparison c, ToDoubleFunction<EpochMetrics> metric,
                          boolean logarithmic) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS); // below the plot: never over a curve
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setMarkerSize(5);
        boolean any = addCurve(chart, c.a(), metric, A_COLOR) | addCurve(chart, c.b(), metric, B_COLOR);
        if (any && logarithmic) {
            // XChart's own logarithmic range can cut off the lowest points; span whole decades instead.
            double min = chart.getSeriesMap().values().stream().mapToDouble(XYSeries::getYMin).min().orElseThrow();
            double max = chart.getSeriesMap().values().stream().mapToDouble(XYSeries::getYMax).max().orElseThrow();
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        }
        return any ? chart : null;
    }

    private static boolean addCurve(XYChart chart, ModelComparison.Side s, ToDoubleFunction<EpochMetrics> metric, Color color) {
        ComparedModel.Training t = s.model().training();
        if (t == null) return false;
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochMetrics m : t.metrics()) {
            double v = metric.applyAsDouble(m);
            if (Double.isFinite(v) && !(v <= 0 && chart.getStyler().isYAxisLogarithmic())) {
                x.add((double) m.epoch());
                y.add(v);
            }
        }
        if (x.isEmpty()) return false;
        XYSeries series = chart.addSeries(s.model().name() + " (" + s.model().algorithm() + ")", x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        series.setMarker(SeriesMarkers.CIRCLE);
        return true;
    }

    /** Per-class accuracy of both models as grouped bars. */
    static CategoryChart perClass(ModelComparison c) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH * 3 / 2).height(HEIGHT).title("Per-class test accuracy")
                .xAxisTitle("class").yAxisTitle("accuracy").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setSeriesColors(new Color[]{A_COLOR, B_COLOR});
        List<String> names = new ArrayList<>();
        for (int k = 0; k < c.classNames().size(); k++) names.add(k + " " + c.classNames().get(k));
        chart.addSeries(c.a().model().name(), names, values(c.a().perClassAccuracy()));
        chart.addSeries(c.b().model().name(), names, values(c.b().perClassAccuracy()));
        return chart;
    }

    private static List<Double> values(float[] v) {
        List<Double> l = new ArrayList<>();
        for (float f : v) l.add(Float.isNaN(f) ? 0.0 : f);
        return l;
    }

    /** The confusion matrix of one model as a heat map with the counts written in the cells. */
    static HeatMapChart confusion(ModelComparison c, ModelComparison.Side s) {
        int k = c.classNames().size();
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(WIDTH - 40)
                .title("Confusion matrix: " + s.model().name()).xAxisTitle("predicted class").yAxisTitle("true class").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        // The counts are written in one colour (XChart has no per-cell text colour), so the darkest cell stays
        // light enough for black digits.
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setRangeColors(new Color[]{Color.WHITE, new Color(0xc6, 0xdb, 0xef), new Color(0x4a, 0x98, 0xc9)});
        // Cells are {x index, y index, count}; y runs bottom-up, so true class 0 goes to the top row as in the console table.
        List<String> predicted = new ArrayList<>();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            predicted.add(Integer.toString(i));
            truth.add((k - 1 - i) + " " + c.classNames().get(k - 1 - i));
        }
        List<Number[]> cells = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) cells.add(new Number[]{p, k - 1 - t, s.confusion()[t][p]});
        }
        chart.addSeries("confusion", predicted, truth, cells);
        return chart;
    }

    static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(0xcc, 0xcc, 0xcc));
        s.setLegendBorderColor(new Color(0xdd, 0xdd, 0xdd));
        s.setChartTitleBoxVisible(false);
        s.setAntiAlias(true);
    }
}
