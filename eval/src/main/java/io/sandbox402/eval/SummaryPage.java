package io.sandbox402.eval;

import io.sandbox402.x402.Usdc;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation's report as one self-contained HTML page, written next to the results as
 * {@code <samples>_results.html}: pass@k, per-task pass counts, time and dollars. Its style is inline
 * and it loads nothing (no script, font or image), so it opens offline and can be kept as a CI
 * artifact. It is well-formed XML too, so a test (or a script) can read it with an XML parser.
 */
final class SummaryPage {
    private SummaryPage() {}

    static String render(EvaluationReport report) {
        String name = report.results().getFileName().toString();
        StringBuilder html = new StringBuilder(4096 + 128 * report.tasks().size());
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<meta name=\"generator\" content=\"sandbox402 eval\"/>\n")
                .append("<title>").append(escape(name)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}")
                .append("th,td{border:1px solid #ccc;padding:.3em .8em;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}")
                .append(".bar{background:#eee;width:10em;height:.8em}.bar div{background:#3a7;height:100%}")
                .append(".stopped{color:#a30}\n</style>\n</head>\n<body>\n")
                .append("<h1>").append(escape(name)).append("</h1>\n");
        if (!report.complete()) {
            html.append("<p class=\"stopped\" id=\"stopped\">Incomplete: ")
                    .append(escape(report.stoppedBecause() == null ? "stopped early" : report.stoppedBecause()))
                    .append(". Run the same command again to continue.</p>\n");
        }
        html.append("<table id=\"summary\">\n");
        row(html, "samples", "Samples", Long.toString(report.samples()));
        row(html, "passed", "Passed", report.passed() + " (" + percent(report.passed(), report.samples()) + ")");
        row(html, "evaluated", "Evaluated by this run", Long.toString(report.evaluatedThisRun()));
        row(html, "time", "Time of this run", String.format(Locale.ROOT, "%.1f s", report.duration().toMillis() / 1000.0));
        row(html, "cost", "Dollars of this run", Usdc.format(report.cost()));
        row(html, "cost-per-sample", "Dollars per sample", Usdc.format(report.costPerSample()));
        html.append("</table>\n<h2>pass@k</h2>\n<table id=\"pass-at-k\">\n<tr><th>k</th><th>pass@k</th></tr>\n");
        for (Map.Entry<Integer, Double> entry : report.passAtK().entrySet()) {
            html.append("<tr><td>").append(entry.getKey()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.4f", entry.getValue())).append("</td></tr>\n");
        }
        html.append("</table>\n<h2>Tasks</h2>\n<table id=\"tasks\">\n")
                .append("<tr><th>task</th><th>samples</th><th>passed</th><th>pass rate</th><th></th></tr>\n");
        for (TaskCount task : report.tasks()) {
            double rate = task.samples() == 0 ? 0 : (double) task.passed() / task.samples();
            html.append("<tr><td>").append(escape(task.taskId())).append("</td><td>").append(task.samples())
                    .append("</td><td>").append(task.passed()).append("</td><td>").append(percent(task.passed(), task.samples()))
                    .append("</td><td><div class=\"bar\"><div style=\"width:")
                    .append(String.format(Locale.ROOT, "%.1f", 100 * rate)).append("%\"></div></div></td></tr>\n");
        }
        return html.append("</table>\n</body>\n</html>\n").toString();
    }

    private static void row(StringBuilder html, String id, String label, String value) {
        html.append("<tr><th>").append(label).append("</th><td id=\"").append(id).append("\">").append(escape(value))
                .append("</td></tr>\n");
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** Text as HTML (and XML) character data or attribute value; control characters XML forbids become U+FFFD. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0xFFFE || c == 0xFFFF) {
                        out.append('\uFFFD');
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }
}
