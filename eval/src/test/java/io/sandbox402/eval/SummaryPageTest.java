package io.sandbox402.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class SummaryPageTest {
    static final List<TaskCount> TASKS = List.of(new TaskCount("Tiny/0", 4, 4), new TaskCount("<b>&'\"\u0001", 4, 1));

    static EvaluationReport report(boolean complete) {
        return new EvaluationReport(Path.of("/tmp/samples.jsonl_results.jsonl"), complete, complete ? null : "the budget <ran out>",
                8, 5, PassAtK.of(TASKS, List.of(1, 2, 10)), TASKS, 6, Duration.ofMillis(12_345), new BigDecimal("0.021"));
    }

    /** The page as XML: it must be well-formed, which an HTML page need not be, so that it can be read back. */
    static Document parse(String page) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(page)));
    }

    static List<List<String>> rows(Document page, String table) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        NodeList rows = (NodeList) xpath.evaluate("//table[@id='" + table + "']/tr[td]", page, XPathConstants.NODESET);
        List<List<String>> result = new ArrayList<>();
        for (int i = 0; i < rows.getLength(); i++) {
            NodeList cells = ((Element) rows.item(i)).getElementsByTagName("td");
            List<String> row = new ArrayList<>();
            for (int j = 0; j < cells.getLength(); j++) {
                if (cells.item(j).getParentNode() == rows.item(i)) {
                    row.add(cells.item(j).getTextContent());
                }
            }
            result.add(row);
        }
        return result;
    }

    @Test
    void should_show_pass_at_k_tasks_time_and_dollars() throws Exception {
        // when
        Document page = parse(SummaryPage.render(report(true)));

        // then pass@k (hand computed: task 0 always passes, task 1 has n=4, c=1: pass@1 = 1/4, pass@2 = 1 - C(3,2)/C(4,2) = 1/2)
        assertThat(rows(page, "pass-at-k")).containsExactly(List.of("1", "0.6250"), List.of("2", "0.7500"));
        assertThat(rows(page, "tasks")).containsExactly(List.of("Tiny/0", "4", "4", "100.0%", ""),
                List.of("<b>&'\"\uFFFD", "4", "1", "25.0%", ""));
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("//td[@id='samples']", page)).isEqualTo("8");
        assertThat(xpath.evaluate("//td[@id='passed']", page)).isEqualTo("5 (62.5%)");
        assertThat(xpath.evaluate("//td[@id='time']", page)).isEqualTo("12.3 s");
        assertThat(xpath.evaluate("//td[@id='cost']", page)).isEqualTo("$0.021");
        assertThat(xpath.evaluate("//td[@id='cost-per-sample']", page)).isEqualTo("$0.0035");
        assertThat(xpath.evaluate("//title", page)).isEqualTo("samples.jsonl_results.jsonl");
        assertThat(xpath.evaluate("count(//*[@id='stopped'])", page)).isEqualTo("0");
    }

    @Test
    void should_load_nothing_and_run_nothing() throws Exception {
        // when
        Document page = parse(SummaryPage.render(report(true)));

        // then no script, no linked resource, no attribute naming another address
        XPath xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("count(//script | //link | //img | //iframe | //object | //embed)", page)).isEqualTo("0");
        assertThat(xpath.evaluate("count(//@src | //@href | //@*[starts-with(name(), 'on')])", page)).isEqualTo("0");
        assertThat(xpath.evaluate("//style", page)).doesNotContain("url(").doesNotContain("@import");
    }

    @Test
    void should_say_why_an_incomplete_run_stopped() throws Exception {
        // when
        Document page = parse(SummaryPage.render(report(false)));

        // then
        assertThat(XPathFactory.newInstance().newXPath().evaluate("//*[@id='stopped']", page))
                .isEqualTo("Incomplete: the budget <ran out>. Run the same command again to continue.");
    }

    @Test
    void should_render_a_run_without_samples() throws Exception {
        // given a report of no sample at all: nothing to divide by
        EvaluationReport empty = new EvaluationReport(Path.of("s.jsonl_results.jsonl"), true, null, 0, 0, Map.of(), List.of(), 0,
                Duration.ZERO, BigDecimal.ZERO);

        // when
        Document page = parse(SummaryPage.render(empty));

        // then
        assertThat(rows(page, "tasks")).isEmpty();
        assertThat(rows(page, "pass-at-k")).isEmpty();
        assertThat(XPathFactory.newInstance().newXPath().evaluate("//td[@id='passed']", page)).isEqualTo("0 (-)");
    }
}
