package dev.storefront.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @Test
    void oneMarkdownTableWithVerdicts() {
        Report report = new Report();
        report.add(new Report.Row("ceiling: pgbench -S", "TPS", "15,000 TPS", "", "", "", null));
        report.add(new Report.Row("browse", "req/s with p99 <= 50 ms", "900 req/s", "4,000 trivial", "23%", ">= 30% of ceiling", false));
        report.add(new Report.Row("a|b", "x", "y", "z", "1x", "goal", true));
        String md = report.markdown("title");
        assertThat(md.lines().filter(l -> l.startsWith("|---"))).hasSize(1);
        assertThat(md).contains("| browse | req/s with p99 <= 50 ms | 900 req/s | 4,000 trivial | 23% | >= 30% of ceiling | **no** |");
        assertThat(md).contains("| ceiling: pgbench -S | TPS | 15,000 TPS | – | – | – |  |");
        assertThat(md).contains("a\\|b").contains("| yes |");
    }

    @Test
    void chartIsAPng(@TempDir Path dir) throws Exception {
        Report report = new Report();
        report.point(new Report.Point("trivial", 8000, 1, 3, 9));
        report.point(new Report.Point("checkout", 40, 30, 120, Double.NaN));
        Path png = dir.resolve("chart.png");
        report.writeChart(png, "test");
        byte[] head = Files.readAllBytes(png);
        assertThat(head[1]).isEqualTo((byte) 'P');
        assertThat(head[2]).isEqualTo((byte) 'N');
    }
}
