package dev.meterstream.loadtest.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A line chart as inline SVG, so the report is one self-contained HTML page (no script, nothing fetched). The x
 * axis is seconds since the load started; NaN or negative values are gaps.
 */
final class SvgChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 260;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 30;
    private static final int BOTTOM = 35;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private final String title;
    private final String unit;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    SvgChart(final String title, final String unit) {
        this.title = title;
        this.unit = unit;
    }

    /** Adds a line of (seconds, value) points. */
    SvgChart line(final String name, final List<double[]> points) {
        series.put(name, points);
        return this;
    }

    String svg() {
        double maxX = 1;
        double maxY = 0;
        for (final List<double[]> points : series.values()) {
            for (final double[] point : points) {
                maxX = Math.max(maxX, point[0]);
                if (!Double.isNaN(point[1])) {
                    maxY = Math.max(maxY, point[1]);
                }
            }
        }
        maxY = niceCeiling(maxY);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        final StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, HEIGHT));
        svg.append(String.format("<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT,
                escape(title)));
        for (int i = 0; i <= 4; i++) {
            final double value = maxY * i / 4;
            final double y = TOP + plotHeight - plotHeight * i / 4.0;
            svg.append(String.format("<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT,
                    LEFT + plotWidth, y, y));
            svg.append(String.format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4,
                    format(value)));
        }
        for (int i = 0; i <= 6; i++) {
            final double seconds = maxX * i / 6;
            final double x = LEFT + plotWidth * i / 6.0;
            svg.append(String.format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f s</text>%n", x,
                    TOP + plotHeight + 16, seconds));
        }
        svg.append(String.format("<text x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">"
                + "%s</text>%n", TOP + plotHeight / 2, TOP + plotHeight / 2, escape(unit)));
        int colour = 0;
        for (final Map.Entry<String, List<double[]>> line : series.entrySet()) {
            final String stroke = COLOURS[colour % COLOURS.length];
            final StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (final double[] point : line.getValue()) {
                if (Double.isNaN(point[1]) || point[1] < 0) {
                    pen = false;
                    continue;
                }
                path.append(pen ? " L" : " M").append(String.format("%.1f,%.1f", LEFT + plotWidth * point[0] / maxX,
                        TOP + plotHeight - (maxY == 0 ? 0 : plotHeight * point[1] / maxY)));
                pen = true;
            }
            svg.append(String.format("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path,
                    stroke));
            final int legendY = TOP + 14 * colour;
            svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"3\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>%n", WIDTH - RIGHT + 12, legendY, stroke, WIDTH - RIGHT + 28,
                    legendY + 5, escape(line.getKey())));
            colour++;
        }
        svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>"
                + "%n</svg>%n", LEFT, TOP, plotWidth, plotHeight));
        return svg.toString();
    }

    private static double niceCeiling(final double value) {
        if (value <= 0) {
            return 1;
        }
        final double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String format(final double value) {
        return value >= 10_000 ? String.format("%.0fk", value / 1000) : value == Math.rint(value)
                ? String.format("%.0f", value) : String.format("%.1f", value);
    }

    static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
