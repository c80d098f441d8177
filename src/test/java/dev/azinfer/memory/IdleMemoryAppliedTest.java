package dev.azinfer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The service, once started, has set its own JVM (the test's, which runs G1) to give memory back. */
@QuarkusTest
class IdleMemoryAppliedTest {

    @Test
    void the_running_jvm_collects_when_idle_and_keeps_at_most_30_percent_free_heap() {
        HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue("true".equals(jvm.getVMOption("UseG1GC").getValue()), "the test JVM runs G1");
        assertEquals("5000", jvm.getVMOption("G1PeriodicGCInterval").getValue());
        assertEquals("10", jvm.getVMOption("MinHeapFreeRatio").getValue());
        assertEquals("30", jvm.getVMOption("MaxHeapFreeRatio").getValue());
    }
}
