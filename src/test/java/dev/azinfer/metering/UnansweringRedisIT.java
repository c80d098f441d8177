package dev.azinfer.metering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.azinfer.support.ServiceProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Redis that takes connections and never answers (paused, or its packets dropped) fails no
 * command by itself. The limits give it a second, then admit: requests are answered, not held
 * until the client gives up. The stand-in is a bare socket that accepts and says nothing.
 */
class UnansweringRedisIT {

    @Test
    void requests_are_answered_when_redis_takes_the_connection_and_never_answers() throws Exception {
        try (ServerSocket silentRedis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServiceProcess service = new ServiceProcess(
                    Files.createTempDirectory(Path.of("target"), "it-silent-redis-"),
                    Map.of("azinfer.limits.redis-url", "redis://127.0.0.1:" + silentRedis.getLocalPort()));
            service.start();
            try {
                long started = System.nanoTime();
                assertEquals(200, service.chat("tiny-stories"));
                System.out.printf("unanswering Redis: answered in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                assertEquals(200, service.chat("tiny-stories"));
            } finally {
                service.kill();
            }
        }
    }
}
