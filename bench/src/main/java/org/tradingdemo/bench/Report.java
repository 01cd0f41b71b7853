package org.tradingdemo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.tradingdemo.bench.HttpLoadGenerator.PhaseStats;
import org.tradingdemo.bench.HttpLoadGenerator.RunConditions;
import org.tradingdemo.bench.HttpLoadGenerator.ScenarioResult;
import org.tradingdemo.bench.HttpLoadGenerator.Setup;

/** The results of a load run as a Markdown table (stdout) and as JSON (a file). */
final class Report {

    private final LoadOptions o;
    private final LoadTarget target;
    private final Setup setup;
    private final RunConditions conditions;
    private final List<ScenarioResult> results;

    Report(LoadOptions o, LoadTarget target, Setup setup, RunConditions conditions, List<ScenarioResult> results) {
        this.o = o;
        this.target = target;
        this.setup = setup;
        this.conditions = conditions;
        this.results = results;
    }

    /** trades/s ÷ health/s, or NaN when one of them did not run. */
    double ratio() {
        ScenarioResult health = find("health");
        ScenarioResult trades = find("trades");
        if (health == null || trades == null || health.requestsPerSecond() == 0) {
            return Double.NaN;
        }
        return trades.requestsPerSecond() / health.requestsPerSecond();
    }

    private ScenarioResult find(String name) {
        return results.stream().filter(r -> r.name.equals(name)).findFirst().orElse(null);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## HTTP load, ").append(conditions.at()).append("\n\n");
        sb.append("- target: ").append(target.description()).append('\n');
        if (!target.settings().isEmpty()) {
            sb.append("- server settings: ").append(target.settings()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "- %d clients (one thread and one keep-alive connection each, closed loop), "
                        + "%d agents, warm-up %s + measured %s per scenario, order %s%n", o.clients, o.agents,
                HttpLoadGenerator.seconds(o.warmup.toMillis()), HttpLoadGenerator.seconds(o.duration.toMillis()),
                String.join(" → ", o.scenarios)));
        sb.append(String.format(Locale.ROOT, "- trade: %s %s @ %s limit ($%s), buy/sell alternating per agent; "
                        + "%d seed trades before the run%n", o.quantity.toPlainString(), o.symbol,
                o.price.toPlainString(), HttpLoadGenerator.tradeAmount(o).stripTrailingZeros().toPlainString(),
                setup.seedTrades()));
        sb.append(String.format(Locale.ROOT, "- machine: %d cores, load average at start %s; %s%n%n",
                conditions.cores(), conditions.loadAverage(), conditions.jvm()));

        sb.append("| scenario | requests/s | p50 ms | p95 ms | p99 ms | max ms | requests | errors |\n");
        sb.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (ScenarioResult r : results) {
            Histogram h = r.measured.hist;
            sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %,d | %,d |%n", r.label,
                    r.requestsPerSecond(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(95)),
                    ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()), r.measured.requests, r.measured.errors()));
        }
        double ratio = ratio();
        if (!Double.isNaN(ratio)) {
            sb.append(String.format(Locale.ROOT, "%n**trades/s ÷ ceiling (GET /health) = %.3f**%n", ratio));
        }

        sb.append("\n| scenario | statuses (measured) | machine CPU busy | this JVM, cores | client threads, cores "
                + "| client CPU µs/request | server CPU µs/request | JIT / GC ms, this JVM | reconnects |\n");
        sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (ScenarioResult r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.1f | %s | %s / %d | %d |%n", r.label,
                    statuses(r.measured), r.machineBusy < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%",
                            r.machineBusy * 100),
                    r.processCpuNanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f",
                            r.processCpuNanos / 1e9 / r.measuredSeconds),
                    r.clientCpuNanos / 1e9 / r.measuredSeconds,
                    r.measured.requests == 0 ? 0.0 : r.clientCpuNanos / 1e3 / r.measured.requests,
                    Double.isNaN(serverMicros(r)) ? "n/a" : String.format(Locale.ROOT, "%.1f", serverMicros(r)),
                    r.jitMillis < 0 ? "n/a" : String.valueOf(r.jitMillis), r.gcMillis, r.reconnects));
        }
        sb.append("\n(CPU over the measured window. Client threads include the kernel's loopback work done in "
                + "their system calls. Server CPU per request = (this JVM − client threads) / requests in-process, or "
                + "the CPU of --server-pid / requests; it includes GC and JIT. JIT / GC ms: compilation time summed over "
                + "the compiler threads and collection time, of this JVM, in the measured window.)\n");
        for (ScenarioResult r : results) {
            double jitShare = r.jitMillis / 1000.0 / r.measuredSeconds;
            if (target.sameJvm() && jitShare > 0.05) {
                sb.append(String.format(Locale.ROOT, "%n**Warning, %s: the JIT compilers were still compiling for "
                        + "%.1f s (summed over compiler threads) during the %.0f s measured**: not at steady state "
                        + "yet; a longer --warmup gives steadier figures.%n",
                        r.label, r.jitMillis / 1000.0, r.measuredSeconds));
            }
        }
        sb.append('\n');
        boolean any = false;
        for (ScenarioResult r : results) {
            for (PhaseStats p : new PhaseStats[] {r.warmup, r.measured}) {
                if (p.errors() > 0) {
                    any = true;
                    sb.append(String.format(Locale.ROOT, "- **%s, %s: %,d failed requests** (%s; I/O errors %d); samples:%n",
                            r.label, p == r.warmup ? "warm-up" : "measured", p.errors(), statuses(p), p.ioErrors));
                    p.errorSamples.forEach((k, v) -> sb.append("  - ").append(v).append(" × ").append(k).append('\n'));
                }
            }
        }
        if (!any) {
            sb.append("Errors: none, every response of warm-up and measurement was 2xx.\n");
        }
        return sb.toString();
    }

    /** In-process only: (process CPU − client threads CPU) per measured request, in µs; NaN otherwise. */
    private double serverMicros(ScenarioResult r) {
        if (r.measured.requests == 0) {
            return Double.NaN;
        }
        if (r.serverProcessCpuNanos >= 0) {
            return r.serverProcessCpuNanos / 1e3 / r.measured.requests;
        }
        if (!target.sameJvm() || r.processCpuNanos < 0) {
            return Double.NaN;
        }
        return (r.processCpuNanos - r.clientCpuNanos) / 1e3 / r.measured.requests;
    }

    private static String statuses(PhaseStats p) {
        StringBuilder sb = new StringBuilder();
        p.statusMap().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ")
                .append(String.format(Locale.ROOT, "%,d", v)));
        return sb.length() == 0 ? "-" : sb.toString();
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    // ---------------------------------------------------------------- JSON

    void writeJson(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    String json() {
        Json j = new Json();
        j.open();
        j.field("generatedAt", conditions.at().toString());
        j.key("target").open();
        j.field("description", target.description());
        j.field("baseUrl", target.address().toString());
        j.key("settings").open();
        target.settings().forEach(j::field);
        j.close();
        j.close();
        j.key("options").open();
        j.field("clients", o.clients);
        j.field("agents", o.agents);
        j.field("warmupSeconds", o.warmup.toMillis() / 1000.0);
        j.field("durationSeconds", o.duration.toMillis() / 1000.0);
        j.field("scenarios", String.join(",", o.scenarios));
        j.field("symbol", o.symbol);
        j.raw("quantity", o.quantity.toPlainString());
        j.raw("price", o.price.toPlainString());
        j.raw("tradeAmount", HttpLoadGenerator.tradeAmount(o).stripTrailingZeros().toPlainString());
        j.raw("budget", o.budget.toPlainString());
        j.field("seedTrades", setup.seedTrades());
        j.close();
        j.key("conditions").open();
        j.field("cores", conditions.cores());
        j.field("loadAverageAtStart", conditions.loadAverage());
        j.field("jvm", conditions.jvm());
        j.field("client", "one platform thread + one blocking keep-alive HTTP/1.1 socket per client, closed loop");
        j.close();
        j.key("scenarios").array();
        for (ScenarioResult r : results) {
            j.open();
            j.field("name", r.name);
            j.field("label", r.label);
            j.field("clients", r.clients);
            j.field("measuredSeconds", r.measuredSeconds);
            j.field("requests", r.measured.requests);
            j.field("requestsPerSecond", round(r.requestsPerSecond(), 1));
            latency(j, "latencyMs", r.measured.hist);
            statusesJson(j, r.measured);
            j.field("ioErrors", r.measured.ioErrors);
            j.field("errors", r.measured.errors());
            samples(j, r.measured);
            j.field("machineCpuBusy", r.machineBusy < 0 ? Double.NaN : round(r.machineBusy, 3));
            j.field("processCpuCores", r.processCpuNanos < 0 ? Double.NaN
                    : round(r.processCpuNanos / 1e9 / r.measuredSeconds, 3));
            j.field("clientThreadsCpuCores", round(r.clientCpuNanos / 1e9 / r.measuredSeconds, 3));
            j.field("clientCpuMicrosPerRequest", r.measured.requests == 0 ? Double.NaN
                    : round(r.clientCpuNanos / 1e3 / r.measured.requests, 2));
            double server = serverMicros(r);
            j.field("serverCpuMicrosPerRequest", Double.isNaN(server) ? Double.NaN : round(server, 2));
            j.field("serverProcessCpuCores", r.serverProcessCpuNanos < 0 ? Double.NaN
                    : round(r.serverProcessCpuNanos / 1e9 / r.measuredSeconds, 3));
            j.field("jitMillisThisJvm", r.jitMillis);
            j.field("gcMillisThisJvm", r.gcMillis);
            j.field("reconnects", r.reconnects);
            j.key("warmup").open();
            j.field("requests", r.warmup.requests);
            latency(j, "latencyMs", r.warmup.hist);
            statusesJson(j, r.warmup);
            j.field("ioErrors", r.warmup.ioErrors);
            j.field("errors", r.warmup.errors());
            samples(j, r.warmup);
            j.close();
            j.close();
        }
        j.endArray();
        double ratio = ratio();
        j.field("tradesPerSecondOverCeiling", Double.isNaN(ratio) ? Double.NaN : round(ratio, 4));
        j.close();
        return j.toString();
    }

    private static void latency(Json j, String key, Histogram h) {
        j.key(key).open();
        j.field("mean", round(h.getMean() / 1000.0, 3));
        for (double p : new double[] {50, 90, 95, 99, 99.9}) {
            j.field("p" + (p == Math.rint(p) ? String.valueOf((int) p) : String.valueOf(p)),
                    h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(p) / 1000.0);
        }
        j.field("max", h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0);
        j.close();
    }

    private static void statusesJson(Json j, PhaseStats p) {
        j.key("statuses").open();
        for (Map.Entry<Integer, Long> e : p.statusMap().entrySet()) {
            j.field(String.valueOf(e.getKey()), e.getValue());
        }
        j.close();
    }

    private static void samples(Json j, PhaseStats p) {
        j.key("errorSamples").open();
        p.errorSamples.forEach((k, v) -> j.field(k, (long) v));
        j.close();
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Just enough of a JSON writer for the report (no dependency on the service's Jackson). */
    static final class Json {
        private final StringBuilder sb = new StringBuilder();
        private boolean first = true;
        private int depth;

        Json key(String k) {
            comma();
            string(k);
            sb.append(": ");
            first = true; // the value follows without a comma
            pendingValue = true;
            return this;
        }

        private boolean pendingValue;

        Json open() {
            prefix();
            sb.append('{');
            depth++;
            first = true;
            return this;
        }

        Json close() {
            depth--;
            newline();
            sb.append('}');
            first = false;
            return this;
        }

        Json array() {
            prefix();
            sb.append('[');
            depth++;
            first = true;
            return this;
        }

        Json endArray() {
            depth--;
            newline();
            sb.append(']');
            first = false;
            return this;
        }

        void field(String k, String v) {
            key(k);
            prefix();
            if (v == null) {
                sb.append("null");
            } else {
                string(v);
            }
            first = false;
        }

        void field(String k, long v) {
            raw(k, Long.toString(v));
        }

        void field(String k, double v) {
            raw(k, Double.isNaN(v) || Double.isInfinite(v) ? "null" : Double.toString(v));
        }

        void raw(String k, String literal) {
            key(k);
            prefix();
            sb.append(literal);
            first = false;
        }

        private void prefix() {
            if (pendingValue) {
                pendingValue = false;
                return;
            }
            comma();
        }

        private void comma() {
            if (!first) {
                sb.append(',');
            }
            if (depth > 0) {
                newline();
            }
        }

        private void newline() {
            sb.append('\n');
            sb.append("  ".repeat(Math.max(0, depth)));
        }

        private void string(String s) {
            sb.append('"');
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> {
                        if (ch < 0x20) {
                            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                        } else {
                            sb.append(ch);
                        }
                    }
                }
            }
            sb.append('"');
        }

        @Override
        public String toString() {
            return sb + "\n";
        }
    }
}
