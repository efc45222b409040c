package io.sandbox402.benchmarks;

/**
 * One line of the performance table: what is measured, the anchor measured in the same run, our
 * figure, their ratio and the target. A row that could not be measured says why in {@code ours}.
 */
record Row(String what, String anchor, String anchorFigure, String ours, String ratio, String target) {

    /** A row whose measurement could not run: the reason stands in for the figures. */
    static Row notAvailable(String what, String anchor, String target, String why) {
        return new Row(what, anchor, "n/a", "n/a: " + why, "n/a", target);
    }

    String markdown() {
        return "| " + String.join(" | ", cell(what), cell(anchor), cell(anchorFigure), cell(ours), cell(ratio), cell(target)) + " |";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
