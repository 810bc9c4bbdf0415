package org.tl4j.report;

import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.tl4j.train.BengioLrSearch;
import org.tl4j.train.ClassificationMetrics;
import org.tl4j.train.RunRecord;

/** The report's plots, drawn headless with XChart and encoded as PNG bytes. */
final class ReportCharts {

    static final int WIDTH = 640;
    static final int HEIGHT = 400;

    private ReportCharts() {
    }

    /** Each probe's loss change (last/first) against its learning rate, diverged probes marked. */
    static byte[] lrSearch(BengioLrSearch.Result search) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Learning-rate search")
                .xAxisTitle("learning rate").yAxisTitle("loss after / loss before").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        List<Double> stableX = new ArrayList<>();
        List<Double> stableY = new ArrayList<>();
        List<Double> divergedX = new ArrayList<>();
        List<Double> divergedY = new ArrayList<>();
        for (BengioLrSearch.ProbeRecord p : search.probes()) {
            double ratio = p.firstLoss() > 0 && Double.isFinite(p.lastLoss()) ? p.lastLoss() / p.firstLoss() : 2;
            (p.diverged() ? divergedX : stableX).add(p.learningRate());
            (p.diverged() ? divergedY : stableY).add(Math.min(ratio, 2));
        }
        if (!stableX.isEmpty()) {
            chart.addSeries("stable", stableX, stableY).setMarker(SeriesMarkers.CIRCLE);
        }
        if (!divergedX.isEmpty()) {
            chart.addSeries("diverged (capped at 2)", divergedX, divergedY).setMarker(SeriesMarkers.CROSS)
                    .setMarkerColor(Color.RED);
        }
        chart.addSeries("chosen rate", List.of(search.learningRate(), search.learningRate()), List.of(0.0, 2.0))
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE);
        return png(chart);
    }

    /** Training and validation loss against updates. */
    static byte[] loss(List<RunRecord.EvaluationPoint> history) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Loss")
                .xAxisTitle("update").yAxisTitle("loss").build();
        chart.addSeries("training", updates(history), history.stream().map(RunRecord.EvaluationPoint::trainLoss)
                .toList());
        chart.addSeries("validation", updates(history), history.stream().map(RunRecord.EvaluationPoint::valLoss)
                .toList());
        return png(chart);
    }

    /** Validation accuracy against updates. */
    static byte[] accuracy(List<RunRecord.EvaluationPoint> history) throws IOException {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Validation accuracy")
                .xAxisTitle("update").yAxisTitle("accuracy").build();
        chart.addSeries("validation", updates(history), history.stream()
                .map(RunRecord.EvaluationPoint::valAccuracy).toList());
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return png(chart);
    }

    /** confusion[actual][predicted] as a heat map, rows normalised so that each class's recall row reads 0..1. */
    static byte[] confusion(ClassificationMetrics metrics) throws IOException {
        List<String> names = metrics.classNames();
        int n = names.size();
        int side = Math.max(HEIGHT, Math.min(1200, 120 + 30 * n));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 120).height(side).title("Confusion (row share)")
                .xAxisTitle("predicted").yAxisTitle("actual").build();
        chart.getStyler().setPlotContentSize(1);
        chart.getStyler().setShowValue(n <= 20)
                .setRangeColors(new Color[] {Color.WHITE, new Color(0x6baed6), new Color(0x08306b)});
        List<Number[]> cells = new ArrayList<>();
        int[][] confusion = metrics.confusion();
        for (int actual = 0; actual < n; actual++) {
            int row = 0;
            for (int v : confusion[actual]) {
                row += v;
            }
            for (int predicted = 0; predicted < n; predicted++) {
                double share = row == 0 ? 0 : (double) confusion[actual][predicted] / row;
                // XChart's heat map puts y index 0 at the bottom: flip so the first class is the top row.
                cells.add(new Number[] {predicted, n - 1 - actual, Math.round(share * 100) / 100.0});
            }
        }
        List<String> reversed = new ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        chart.addSeries("confusion", names, reversed, cells);
        chart.getStyler().setMin(0).setMax(1);
        return png(chart);
    }

    private static List<Long> updates(List<RunRecord.EvaluationPoint> history) {
        return history.stream().map(RunRecord.EvaluationPoint::update).toList();
    }

    static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
