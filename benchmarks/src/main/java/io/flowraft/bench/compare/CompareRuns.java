package io.flowraft.bench.compare;

import io.flowraft.contracts.json.FlowRaftJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Before and after from one session of alternated runs ({@code ./flowraft bench compare}): reads each run's
 * {@code results.json}, and writes {@code compare.md} with every repetition, the medians, and after ÷ before. The
 * runs alternate (before, after, before, ...) on the same machine, so drift in what else the machine does falls on
 * both sides; only ratios of the same session mean anything on a shared machine.
 *
 * <p>Arguments: the output directory, then optionally {@code ref=<what before is>} (its results name this
 * checkout's commit, as they run from it), then {@code before=<results.json>} and {@code after=<results.json>}
 * pairs in the order they ran.
 */
public final class CompareRuns {

    private CompareRuns() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        List<Sample> before = new ArrayList<>();
        List<Sample> after = new ArrayList<>();
        String beforeRef = null;
        for (int i = 1; i < args.length; i++) {
            String[] labelled = args[i].split("=", 2);
            if (labelled[0].equals("ref")) {
                beforeRef = labelled[1];
                continue;
            }
            Sample sample = Sample.read(Path.of(labelled[1]));
            if (labelled[0].equals("before")) {
                before.add(beforeRef == null ? sample : sample.withCommit(beforeRef));
            } else {
                after.add(sample);
            }
        }
        String markdown = markdown(before, after);
        Files.writeString(out.resolve("compare.md"), markdown);
        System.out.print(markdown);
    }

    static String markdown(List<Sample> before, List<Sample> after) {
        StringBuilder md = new StringBuilder("# Before and after, alternated in one session\n\n");
        md.append("| side | commit | tasks/s | raw SOFAJRaft commits/s | engine cost | coordinator CPU ms/task | "
                + "worker CPU ms/task | driver CPU ms/task | HTTP requests/task | Raft commands/task | Raft entries/task |"
                + " dispatch p99 ms | submit→ack p50 / p99 ms |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
            if (i < before.size()) {
                row(md, "before", before.get(i));
            }
            if (i < after.size()) {
                row(md, "after", after.get(i));
            }
        }
        md.append("\n| median | tasks/s | engine cost | coordinator CPU ms/task | worker CPU ms/task |\n|---|---:|---:|---:|---:|\n");
        Sample medianBefore = Sample.median(before);
        Sample medianAfter = Sample.median(after);
        median(md, "before", medianBefore);
        median(md, "after", medianAfter);
        md.append(String.format(Locale.ROOT, "| **after ÷ before** | **%.2f** | %.2f | %.2f | %.2f |%n",
                medianAfter.tasksPerSecond() / medianBefore.tasksPerSecond(),
                medianAfter.engineCost() / medianBefore.engineCost(),
                medianAfter.coordinatorCpuMsPerTask() / medianBefore.coordinatorCpuMsPerTask(),
                medianAfter.workerCpuMsPerTask() / medianBefore.workerCpuMsPerTask()));
        return md.toString();
    }

    private static void row(StringBuilder md, String side, Sample s) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.3f | %.2f | %.2f | %.2f | %.3f | %.2f | %s | %.0f | %.0f / %.0f |%n",
                side, s.commit(), s.tasksPerSecond(), s.rawCommitsPerSecond(), s.engineCost(), s.coordinatorCpuMsPerTask(),
                s.workerCpuMsPerTask(), s.driverCpuMsPerTask(), s.httpRequestsPerTask(), s.commandsPerTask(),
                Double.isNaN(s.entriesPerTask()) ? "–" : String.format(Locale.ROOT, "%.2f", s.entriesPerTask()),
                s.dispatchP99(), s.submitAckP50(), s.submitAckP99()));
    }

    private static void median(StringBuilder md, String side, Sample s) {
        md.append(String.format(Locale.ROOT, "| %s | %.0f | %.3f | %.2f | %.2f |%n", side, s.tasksPerSecond(),
                s.engineCost(), s.coordinatorCpuMsPerTask(), s.workerCpuMsPerTask()));
    }

    /** What one run's {@code results.json} says of its main (closed-loop) run. */
    record Sample(String commit, double tasksPerSecond, double rawCommitsPerSecond, double coordinatorCpuMsPerTask,
            double workerCpuMsPerTask, double driverCpuMsPerTask, double httpRequestsPerTask, double commandsPerTask,
            double entriesPerTask, double dispatchP99, double submitAckP50, double submitAckP99) {

        Sample withCommit(String ref) {
            return new Sample(ref, tasksPerSecond, rawCommitsPerSecond, coordinatorCpuMsPerTask, workerCpuMsPerTask,
                    driverCpuMsPerTask, httpRequestsPerTask, commandsPerTask, entriesPerTask, dispatchP99, submitAckP50,
                    submitAckP99);
        }

        double engineCost() {
            return rawCommitsPerSecond <= 0 ? Double.NaN : tasksPerSecond / rawCommitsPerSecond;
        }

        static Sample read(Path results) throws IOException {
            JsonNode root = FlowRaftJson.mapper().readTree(Files.readString(results));
            JsonNode run = root.get("runs").get(0);
            double tasks = run.get("tasksPerSecond").asDouble() * run.get("seconds").asDouble();
            double coordinators = 0;
            double workers = 0;
            double driver = 0;
            for (JsonNode process : run.get("processes")) {
                String name = process.get("name").asString();
                double cpu = process.get("cpuSeconds").asDouble();
                if (name.startsWith("coordinator")) {
                    coordinators += cpu;
                } else if (name.startsWith("worker")) {
                    workers += cpu;
                } else {
                    driver += cpu;
                }
            }
            double http = 0;
            JsonNode raft = run.path("raft");
            for (JsonNode perUri : raft.path("httpRequestsPerTask")) {
                http += perUri.asDouble();
            }
            JsonNode raw = root.path("rawRaft");
            double rawCommits = raw.isMissingNode() || raw.isNull() ? 0 : raw.path("commitsPerSecond").asDouble();
            return new Sample(root.path("commit").asString("?"), run.get("tasksPerSecond").asDouble(), rawCommits,
                    1000 * coordinators / tasks, 1000 * workers / tasks, 1000 * driver / tasks, http,
                    raft.path("commandsPerTask").asDouble(),
                    raft.has("entriesPerTask") ? raft.get("entriesPerTask").asDouble() : Double.NaN,
                    run.path("dispatch").path("p99").asDouble(),
                    run.path("submitAck").path("p50").asDouble(), run.path("submitAck").path("p99").asDouble());
        }

        /** Each figure's median over the samples (not one sample's figures). */
        static Sample median(List<Sample> samples) {
            return new Sample("median", med(samples, Sample::tasksPerSecond), med(samples, Sample::rawCommitsPerSecond),
                    med(samples, Sample::coordinatorCpuMsPerTask), med(samples, Sample::workerCpuMsPerTask),
                    med(samples, Sample::driverCpuMsPerTask), med(samples, Sample::httpRequestsPerTask),
                    med(samples, Sample::commandsPerTask), med(samples, Sample::entriesPerTask),
                    med(samples, Sample::dispatchP99),
                    med(samples, Sample::submitAckP50), med(samples, Sample::submitAckP99));
        }

        private static double med(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> figure) {
            double[] values = samples.stream().mapToDouble(figure).sorted().toArray();
            if (values.length == 0) {
                return Double.NaN;
            }
            int mid = values.length / 2;
            return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        }
    }
}
