package dev.azinfer.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.support.PostgresStore;
import dev.azinfer.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Two replicas behind one limit: both share a real Redis (and PostgreSQL, which .ci/run starts
 * with it). A deployment of capacity 5 allows 5 requests per 10 seconds in all; 30 requests sent
 * to both replicas at once inside one window must see at most 5 admitted, not 5 per replica.
 */
@EnabledIfEnvironmentVariable(named = PostgresStore.URL_VARIABLE, matches = ".+")
@EnabledIfEnvironmentVariable(named = "AZINFER_TEST_REDIS_URL", matches = ".+")
class SharedLimitsIT {

    @Test
    void two_replicas_together_admit_no_more_than_the_limit() throws Exception {
        Map<String, String> settings = new HashMap<>(PostgresStore.settings(PostgresStore.SCHEMA + "_limits"));
        settings.put("azinfer.limits.redis-url", System.getenv("AZINFER_TEST_REDIS_URL"));
        ServiceProcess first =
                new ServiceProcess(Files.createTempDirectory(Path.of("target"), "it-limits-1-"), settings);
        ServiceProcess second =
                new ServiceProcess(Files.createTempDirectory(Path.of("target"), "it-limits-2-"), settings);
        first.start();
        second.start();
        ExecutorService clients = Executors.newFixedThreadPool(10);
        try {
            first.put(
                    "/deployments/limited",
                    "{\"sku\":{\"name\":\"Standard\",\"capacity\":5},\"properties\":{\"model\":"
                            + "{\"format\":\"TinyLlamas\",\"name\":\"stories260K\",\"version\":\"1\"}}}");
            awaitInfo(second, "limited");
            // start just after a 10-second window opens, so that every request falls in the same one
            long now = System.currentTimeMillis();
            Thread.sleep(10_000 - now % 10_000 + 200);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ServiceProcess replica = i % 2 == 0 ? first : second;
                calls.add(clients.submit(() -> replica.chat("limited")));
            }
            int admitted = 0;
            int refused = 0;
            for (Future<Integer> call : calls) {
                int status = call.get();
                if (status == 200) {
                    admitted++;
                } else if (status == 429) {
                    refused++;
                }
            }
            long elapsed = System.currentTimeMillis() - (now + 10_000 - now % 10_000 + 200);
            System.out.printf(
                    "shared limit: %d admitted, %d refused of 30 across 2 replicas in %d ms (limit 5)%n",
                    admitted, refused, elapsed);
            assertTrue(elapsed < 9_000, "the burst must stay inside one window; it took " + elapsed + " ms");
            assertEquals(5, admitted, "capacity 5: five requests per 10 s in all, not per replica");
            assertEquals(25, refused);
        } finally {
            clients.shutdownNow();
            first.kill();
            second.kill();
        }
    }

    private static void awaitInfo(ServiceProcess replica, String deployment) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (replica.info(deployment) == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the second replica never saw " + deployment);
    }
}
