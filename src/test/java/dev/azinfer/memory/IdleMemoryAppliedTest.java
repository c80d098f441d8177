package dev.azinfer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    @Test
    void the_running_jvm_trims_its_native_heap_on_request() {
        HotSpotDiagnosticMXBean jvm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        assumeTrue(hasOption(jvm, "TrimNativeHeapInterval"), "the JVM has the trim command (17.0.9 and later)");
        String report = IdleMemory.trimNativeHeap();
        assertNotNull(report, "System.trim_native_heap ran");
        assertTrue(report.contains("Trim native heap"), report);
    }

    private static boolean hasOption(HotSpotDiagnosticMXBean jvm, String name) {
        try {
            return jvm.getVMOption(name) != null;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }
}
