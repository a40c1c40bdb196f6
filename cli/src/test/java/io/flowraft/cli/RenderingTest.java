package io.flowraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.ClusterView;
import io.flowraft.contracts.TaskStatus;
import io.flowraft.contracts.TaskView;
import io.flowraft.contracts.WorkflowPage;
import io.flowraft.contracts.WorkflowStatus;
import io.flowraft.contracts.WorkflowSummary;
import io.flowraft.contracts.WorkflowView;
import io.flowraft.contracts.json.FlowRaftJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The readable output, byte for byte: aligned columns, no trailing blanks, the same text for the same answer. */
class RenderingTest {

    private static final Instant T0 = Instant.parse("2025-06-15T15:06:40Z");

    private static String render(Consumer<PrintWriter> view) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            view.accept(out);
        }
        return text.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void shouldAlignColumnsWithoutTrailingBlanks() {
        String text = render(new Table("A", "LONGER", "LAST").row("wide cell", null, "x").row("b", "c", null)::print);

        assertThat(text).isEqualTo("""
                A          LONGER  LAST
                wide cell  -       x
                b          c       -
                """);
    }

    @Test
    void shouldKeepEachRowOnOneLine() {
        String text = render(new Table("ID", "ERROR").row("a", "line one\nline two\tend")::print);

        assertThat(text).isEqualTo("""
                ID  ERROR
                a   line one line two end
                """);
    }

    @Test
    void shouldRenderAWorkflowWithItsTasks() {
        WorkflowView workflow = new WorkflowView("w-17", "orders@1", WorkflowStatus.RUNNING,
                FlowRaftJson.mapper().readTree("{\"amount\": 42}"),
                List.of(new TaskView("charge", "payment", TaskStatus.LEASED, 1, null, null, null, List.of(), T0,
                                "w-17.charge.1", "worker-1", T0.plusSeconds(30), null),
                        new TaskView("ship", "shipping", TaskStatus.PENDING, 0, null, null, null, List.of("charge"), null,
                                null, null, null, null),
                        new TaskView("audit", "log", TaskStatus.FAILED, 3, null, null, "disk full", List.of(), T0,
                                null, null, null, T0)),
                T0, null);

        String text = render(out -> Views.workflow(out, workflow));
        WorkflowView evicted = new WorkflowView(workflow.id(), workflow.definition(), WorkflowStatus.COMPLETED,
                workflow.input(), List.of(), T0, T0.plusSeconds(5), WorkflowView.HISTORY);

        assertThat(render(out -> Views.workflow(out, evicted)))
                .contains("Source:      history in PostgreSQL (finished, evicted from the replicated state)\n");
        assertThat(text).isEqualTo("""
                Workflow:    w-17
                Definition:  orders@1
                Status:      RUNNING
                Created:     2025-06-15T15:06:40Z
                Finished:    -
                Source:      the replicated state
                Input:       {"amount":42}

                TASK    TYPE      STATUS   ATTEMPT  DEPENDS ON  NOTE
                charge  payment   LEASED   1        -           lease w-17.charge.1 held by worker-1 until 2025-06-15T15:07:10Z
                ship    shipping  PENDING  0        charge      -
                audit   log       FAILED   3        -           disk full
                """);
    }

    @Test
    void shouldRenderAPageWithItsCursor() {
        WorkflowPage page = new WorkflowPage(List.of(
                new WorkflowSummary("w-1", "orders@1", WorkflowStatus.COMPLETED, T0, T0.plusSeconds(5)),
                new WorkflowSummary("w-22", null, WorkflowStatus.RUNNING, T0, null)), "YWZ0ZXI6dy0yMg");

        assertThat(render(out -> Views.page(out, page))).isEqualTo("""
                ID    DEFINITION  STATUS     CREATED               FINISHED
                w-1   orders@1    COMPLETED  2025-06-15T15:06:40Z  2025-06-15T15:06:45Z
                w-22  (inline)    RUNNING    2025-06-15T15:06:40Z  -

                More may follow: --cursor YWZ0ZXI6dy0yMg
                """);
        assertThat(render(out -> Views.page(out, new WorkflowPage(List.of(), null)))).isEqualTo("No workflows on this page.\n");
    }

    @Test
    void shouldRenderAClusterWithoutLeader() {
        ClusterView view = new ClusterView("127.0.0.1:7102", null, 4, List.of("127.0.0.1:7101", "127.0.0.1:7102"), 9, 9,
                "ab12");

        assertThat(render(out -> Views.cluster(out, view))).isEqualTo("""
                Node:           127.0.0.1:7102
                Leader:         none known (election running, or no quorum)
                Term:           4
                Commit index:   9
                Applied index:  9
                State digest:   ab12

                PEER            ROLE
                127.0.0.1:7101  follower
                127.0.0.1:7102  follower (this node)
                """);
    }
}
