package dev.azinfer.management;

import dev.azinfer.api.ApiException;
import java.util.regex.Pattern;

/** The management API's {@code api-version}: ARM's, 2023-05-01 or later, as Azure documentation commands send it. */
final class ManagementApiVersions {

    static final String OLDEST = "2023-05-01";
    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private ManagementApiVersions() {}

    static void require(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw ApiException.badRequest(
                    "missing_api_version",
                    "The query parameter 'api-version' is required, e.g. api-version=" + OLDEST + ".",
                    "api-version");
        }
        if (!FORMAT.matcher(apiVersion).matches() || apiVersion.substring(0, 10).compareTo(OLDEST) < 0) {
            throw ApiException.badRequest(
                    "unsupported_api_version",
                    "The api-version '" + apiVersion + "' is not supported by the management API; use " + OLDEST
                            + " or later.",
                    "api-version");
        }
    }
}
