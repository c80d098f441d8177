package dev.azinfer.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.azinfer.config.ServiceConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.jboss.logging.Logger;

/**
 * Gives memory back when the service is idle. By default the JVM keeps the heap it grew: after a
 * minute of load the service held 1.2 GB, and 260-290 MB idle for a 40 MB live set. G1 returns
 * free heap only after a collection, and an idle service does not collect. These three options are
 * "manageable": a running JVM takes them, so the default needs no launch options, which the quick
 * start's {@code quarkus:run} could not pass. An option given at launch is the operator's and is
 * kept; {@code azinfer.memory.return-when-idle=false} turns this off.
 *
 * <p>The C heap is trimmed too, after each of those idle collections: glibc keeps memory that
 * native code (Netty, llama.cpp, the JVM's own compilers) freed, 20 MB of an idle service. That
 * is the JVM's {@code System.trim_native_heap} command, what {@code -XX:TrimNativeHeapInterval}
 * would do on a timer; an interval given at launch is kept instead.
 */
@ApplicationScoped
public class IdleMemory {

    private static final Logger LOG = Logger.getLogger(IdleMemory.class);

    /** In the order they can be set: the minimum free ratio may not exceed the maximum. */
    static final Map<String, String> SETTINGS = settings();

    /** The cause G1 gives a collection it made because none came for {@code G1PeriodicGCInterval}. */
    static final String IDLE_COLLECTION = "G1 Periodic Collection";

    /** Whether this JVM's collectors are already listened to: once per JVM, however often the application starts in it. */
    private static final java.util.concurrent.atomic.AtomicBoolean LISTENING =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** The JVM's options, as {@link HotSpotDiagnosticMXBean} reads and writes them. */
    interface Options {
        VMOption get(String name);

        void set(String name, String value);
    }

    private final ServiceConfig config;

    public IdleMemory(ServiceConfig config) {
        this.config = config;
    }

    void apply(@Observes StartupEvent start) {
        if (!config.memory().returnWhenIdle()) {
            return;
        }
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (bean == null) {
            return; // not a HotSpot JVM
        }
        Options jvm = new Options() {
            @Override
            public VMOption get(String name) {
                return bean.getVMOption(name);
            }

            @Override
            public void set(String name, String value) {
                bean.setVMOption(name, value);
            }
        };
        Map<String, String> applied = apply(jvm);
        if (!applied.isEmpty()) {
            LOG.debugf("Idle memory: JVM options set %s", applied);
        }
        if (trimsNativeHeap(jvm) && LISTENING.compareAndSet(false, true)) {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(
                            (n, handback) -> afterCollection(
                                    GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData())
                                            .getGcCause(),
                                    IdleMemory::trimNativeHeap),
                            n -> GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType()),
                            null);
                }
            }
        }
    }

    /** Whether to trim after idle collections: unless the JVM trims on its own timer, set at launch. */
    static boolean trimsNativeHeap(Options options) {
        VMOption interval = option(options, "TrimNativeHeapInterval");
        // a JVM without the option has no trim command either
        return interval != null && interval.getOrigin() == VMOption.Origin.DEFAULT && "0".equals(interval.getValue());
    }

    /** After a collection: trims when it was an idle one. */
    static void afterCollection(String cause, Runnable trim) {
        if (IDLE_COLLECTION.equals(cause)) {
            trim.run();
        }
    }

    /** Gives back the C heap's free memory; answers what the JVM reported, or null if it could not. */
    static String trimNativeHeap() {
        try {
            Object report = ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "systemTrimNativeHeap",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
            LOG.debugf("Idle memory: %s", report);
            return String.valueOf(report);
        } catch (JMException | RuntimeException e) {
            LOG.debugf("Idle memory: the native heap could not be trimmed (%s)", e.getMessage());
            return null;
        }
    }

    /** Sets what the operator left at its default, on G1 only; returns what it set. */
    static Map<String, String> apply(Options options) {
        Map<String, String> applied = new LinkedHashMap<>();
        VMOption g1 = option(options, "UseG1GC");
        if (g1 == null || !"true".equals(g1.getValue())) {
            return applied;
        }
        for (Map.Entry<String, String> e : SETTINGS.entrySet()) {
            VMOption current = option(options, e.getKey());
            if (current == null || current.getOrigin() != VMOption.Origin.DEFAULT || !current.isWriteable()) {
                continue;
            }
            try {
                options.set(e.getKey(), e.getValue());
                applied.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException | SecurityException refused) {
                // e.g. a maximum free ratio given at launch below our minimum: the launch options win
                LOG.debugf("Idle memory: %s=%s not set (%s)", e.getKey(), e.getValue(), refused.getMessage());
            }
        }
        return applied;
    }

    private static VMOption option(Options options, String name) {
        try {
            return options.get(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        // a collection when there was none for 5 s: a busy service collects anyway, an idle one never would
        settings.put("G1PeriodicGCInterval", "5000");
        settings.put("MinHeapFreeRatio", "10");
        settings.put("MaxHeapFreeRatio", "30");
        return Collections.unmodifiableMap(settings);
    }
}
