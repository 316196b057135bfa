package dev.storefront.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The one table the bench prints, and the PNG chart next to it. */
public final class Report {
    /** met: true, false, or null when the row has no goal (a ceiling, or not measured). */
    public record Row(String scenario, String measure, String result, String ceiling, String ratio, String goal, Boolean met) {
    }

    /** One bar group of the chart: a scenario's throughput and latency percentiles at its best rate. */
    public record Point(String scenario, double throughput, double p50, double p95, double p99) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Point> points = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void add(Row row) {
        rows.add(row);
    }

    public void point(Point point) {
        points.add(point);
    }

    public void note(String note) {
        notes.add(note);
    }

    public List<Row> rows() {
        return rows;
    }

    public String markdown(String title) {
        StringBuilder md = new StringBuilder();
        md.append("### ").append(title).append("\n\n");
        md.append("| scenario | measure | result (median, spread) | ceiling (same run) | ratio to ceiling | goal | met |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(cell(r.scenario())).append(" | ").append(cell(r.measure())).append(" | ")
                    .append(cell(r.result())).append(" | ").append(cell(r.ceiling())).append(" | ")
                    .append(cell(r.ratio())).append(" | ").append(cell(r.goal())).append(" | ")
                    .append(r.met() == null ? "" : r.met() ? "yes" : "**no**").append(" |\n");
        }
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    private static String cell(String text) {
        return text == null || text.isBlank() ? "–" : text.replace("|", "\\|").replace("\n", " ");
    }

    /** Throughput (left) and p50/p95/p99 latency (right) per scenario, log scales: they span decades. */
    public void writeChart(Path png, String title) throws IOException {
        if (points.isEmpty()) {
            return;
        }
        List<String> names = points.stream().map(Point::scenario).toList();
        CategoryChart rate = new CategoryChartBuilder().width(800).height(560).title(title + " - throughput at the best rate")
                .xAxisTitle("scenario").yAxisTitle("per second (log)").build();
        style(rate);
        rate.addSeries("req/s or checkouts/s", names, points.stream().map(p -> positive(p.throughput())).toList());
        CategoryChart latency = new CategoryChartBuilder().width(800).height(560).title("latency at that rate")
                .xAxisTitle("scenario").yAxisTitle("ms (log)").build();
        style(latency);
        latency.addSeries("p50", names, points.stream().map(p -> positive(p.p50())).toList());
        latency.addSeries("p95", names, points.stream().map(p -> positive(p.p95())).toList());
        latency.addSeries("p99", names, points.stream().map(p -> positive(p.p99())).toList());
        BufferedImage left = BitmapEncoder.getBufferedImage(rate);
        BufferedImage right = BitmapEncoder.getBufferedImage(latency);
        BufferedImage both = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth(), 0, null);
        g.dispose();
        Files.createDirectories(png.getParent());
        ImageIO.write(both, "png", png.toFile());
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.5); // bars start at the axis minimum: a log axis cannot start at 0
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setToolTipsEnabled(false);
    }

    /** Log axes cannot show 0 or NaN: those bars are drawn at a floor value. */
    private static double positive(double v) {
        return Double.isNaN(v) || v <= 0.5 ? 0.5 : v;
    }
}
