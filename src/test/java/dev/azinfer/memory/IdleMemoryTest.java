package dev.azinfer.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.VMOption;
import com.sun.management.VMOption.Origin;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The decision, on JVM options as a fake holds them; {@link IdleMemoryAppliedTest} checks a real JVM. */
class IdleMemoryTest {

    /** JVM options with HotSpot's defaults and its rule that the minimum free ratio not exceed the maximum. */
    static final class FakeOptions implements IdleMemory.Options {
        final Map<String, VMOption> options = new HashMap<>();

        FakeOptions(String gc) {
            put("UseG1GC", String.valueOf(gc.equals("G1")), Origin.ERGONOMIC);
            put("G1PeriodicGCInterval", "0", Origin.DEFAULT);
            put("MinHeapFreeRatio", "40", Origin.DEFAULT);
            put("MaxHeapFreeRatio", "70", Origin.DEFAULT);
        }

        FakeOptions put(String name, String value, Origin origin) {
            options.put(name, new VMOption(name, value, true, origin));
            return this;
        }

        @Override
        public VMOption get(String name) {
            VMOption o = options.get(name);
            if (o == null) {
                throw new IllegalArgumentException("no option " + name);
            }
            return o;
        }

        @Override
        public void set(String name, String value) {
            if (!name.endsWith("HeapFreeRatio")) {
                put(name, value, Origin.MANAGEMENT);
                return;
            }
            int min = Integer.parseInt(
                    name.equals("MinHeapFreeRatio")
                            ? value
                            : get("MinHeapFreeRatio").getValue());
            int max = Integer.parseInt(
                    name.equals("MaxHeapFreeRatio")
                            ? value
                            : get("MaxHeapFreeRatio").getValue());
            if (min > max) {
                throw new IllegalArgumentException("MinHeapFreeRatio above MaxHeapFreeRatio");
            }
            put(name, value, Origin.MANAGEMENT);
        }

        String value(String name) {
            return get(name).getValue();
        }
    }

    @Test
    void on_g1_with_defaults_all_three_are_set_in_an_order_the_jvm_accepts() {
        FakeOptions jvm = new FakeOptions("G1");
        assertEquals(IdleMemory.SETTINGS, IdleMemory.apply(jvm));
        assertEquals("5000", jvm.value("G1PeriodicGCInterval"));
        assertEquals("10", jvm.value("MinHeapFreeRatio"));
        assertEquals("30", jvm.value("MaxHeapFreeRatio"));
    }

    @Test
    void options_given_at_launch_are_kept() {
        FakeOptions jvm = new FakeOptions("G1")
                .put("G1PeriodicGCInterval", "60000", Origin.VM_CREATION)
                .put("MaxHeapFreeRatio", "50", Origin.VM_CREATION);
        assertEquals(Map.of("MinHeapFreeRatio", "10"), IdleMemory.apply(jvm));
        assertEquals("60000", jvm.value("G1PeriodicGCInterval"));
        assertEquals("50", jvm.value("MaxHeapFreeRatio"));
    }

    @Test
    void a_setting_the_launch_options_forbid_is_skipped_and_the_rest_still_set() {
        // a maximum of 5 given at launch: our minimum of 10 would exceed it
        FakeOptions jvm = new FakeOptions("G1")
                .put("MinHeapFreeRatio", "0", Origin.VM_CREATION)
                .put("MaxHeapFreeRatio", "5", Origin.VM_CREATION);
        assertEquals(Map.of("G1PeriodicGCInterval", "5000"), IdleMemory.apply(jvm));
        assertEquals("0", jvm.value("MinHeapFreeRatio"));
    }

    @Test
    void a_minimum_given_at_launch_above_ours_is_kept_and_the_maximum_still_lowered() {
        FakeOptions jvm = new FakeOptions("G1").put("MinHeapFreeRatio", "20", Origin.VM_CREATION);
        assertEquals(Map.of("G1PeriodicGCInterval", "5000", "MaxHeapFreeRatio", "30"), IdleMemory.apply(jvm));
        assertEquals("20", jvm.value("MinHeapFreeRatio"));
    }

    @Test
    void the_native_heap_is_trimmed_unless_the_jvm_was_launched_to_trim_it_on_a_timer() {
        FakeOptions jvm = new FakeOptions("G1").put("TrimNativeHeapInterval", "0", Origin.DEFAULT);
        assertTrue(IdleMemory.trimsNativeHeap(jvm));
        jvm.put("TrimNativeHeapInterval", "5000", Origin.VM_CREATION);
        assertFalse(IdleMemory.trimsNativeHeap(jvm));
        // a JVM older than the option (Java 17 before 17.0.9) has no trim command either
        assertFalse(IdleMemory.trimsNativeHeap(new FakeOptions("G1")));
    }

    @Test
    void only_a_collection_made_because_the_service_was_idle_trims() {
        AtomicInteger trims = new AtomicInteger();
        IdleMemory.afterCollection("G1 Evacuation Pause", trims::incrementAndGet);
        IdleMemory.afterCollection("G1 Humongous Allocation", trims::incrementAndGet);
        assertEquals(0, trims.get());
        IdleMemory.afterCollection("G1 Periodic Collection", trims::incrementAndGet);
        assertEquals(1, trims.get());
    }

    @Test
    void other_collectors_are_left_alone() {
        FakeOptions jvm = new FakeOptions("Serial");
        assertEquals(Map.of(), IdleMemory.apply(jvm));
        assertEquals("40", jvm.value("MinHeapFreeRatio"));
    }
}
