package io.flowraft.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowraft.contracts.TaskReport;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which workflows the {@code next} poll of a report exchange prefers: those reported on, in report order. */
class ReportedWorkflowsTest {

    @Test
    void shouldNameTheReportedWorkflowsInReportOrderEachOnceSkippingMalformedLeaseIds() {
        List<TaskReport> reports = Arrays.asList(
                TaskReport.completed("wf-9.ship.12", null),
                TaskReport.failed("not-a-lease", "x", true),
                null,
                TaskReport.completed("wf-2.charge.7", null),
                TaskReport.completed(null, null),
                TaskReport.completed("wf-9.charge.3", null),
                TaskReport.completed("wf-1.a.0", null));

        assertThat(ReportController.reportedWorkflows(reports)).containsExactly("wf-9", "wf-2");
    }
}
