package dev.azinfer.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.azinfer.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Settings an operator can get wrong stop the start, and the log says what is wrong, rather than
 * the service starting and failing later (the packaged service, as an operator runs it).
 */
class BadSettingsIT {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "azinfer.deployments.typo.provider | azure | the provider is one of openai, azure-openai, azure-ai, local; not 'azure'",
                "azinfer.billing.spending-limit | -5 | azinfer.billing.spending-limit must be greater than or equal to 0",
                "azinfer.default-deployment | nope | azinfer.default-deployment names 'nope', which is neither in azinfer.deployments nor in the deployment store"
            })
    void a_bad_setting_stops_the_start_saying_what_is_wrong(String name, String value, String message)
            throws Exception {
        String log = new ServiceProcess(
                        Files.createTempDirectory(Path.of("target"), "it-bad-settings-"),
                        // the store's refresh due every 50 ms: a job that ran during the start would show
                        Map.of(name, value, "azinfer.store.refresh-interval", "0.05s"))
                .refusedStart();
        assertTrue(log.contains(message), "the log does not say '" + message + "':\n" + log);
        // at most one error, the refused start (settings refused before logging starts print none),
        // and no scheduled job ran into the half-started service
        List<String> errors =
                log.lines().filter(line -> line.contains(" ERROR ")).toList();
        assertTrue(errors.size() <= 1, "more than the start failure logged as an error:\n" + log);
        errors.forEach(error -> assertTrue(error.contains("Failed to start"), error));
        assertFalse(log.contains("(executor-thread-"), "a scheduled job ran during the refused start:\n" + log);
    }
}
