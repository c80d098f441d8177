package dev.azinfer.api;

import java.util.List;
import java.util.regex.Pattern;

/** The {@code api-version} query parameter: required, well formed, and one the service implements. */
public final class ApiVersions {

    public static final String PARAM = "api-version";
    public static final String V2024_05_01_PREVIEW = "2024-05-01-preview";
    public static final String V2024_08_01_PREVIEW = "2024-08-01-preview";
    public static final String V2025_04_01 = "2025-04-01";

    /** What the Azure SDKs send by default. */
    public static final String DEFAULT = V2024_05_01_PREVIEW;

    public static final List<String> SUPPORTED = List.of(V2024_05_01_PREVIEW, V2024_08_01_PREVIEW, V2025_04_01);

    private static final Pattern FORMAT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private ApiVersions() {}

    /** {@code YYYY-MM-DD} or {@code YYYY-MM-DD-preview}, the form of every Azure api-version. */
    public static boolean isWellFormed(String apiVersion) {
        return FORMAT.matcher(apiVersion).matches();
    }

    public static String require(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw ApiException.badRequest(
                    "missing_api_version",
                    "The query parameter 'api-version' is required; supported versions: " + String.join(", ", SUPPORTED)
                            + ".",
                    PARAM);
        }
        if (!isWellFormed(apiVersion)) {
            throw ApiException.badRequest(
                    "invalid_api_version",
                    "The api-version '" + apiVersion + "' is not of the form YYYY-MM-DD or YYYY-MM-DD-preview.",
                    PARAM);
        }
        if (!SUPPORTED.contains(apiVersion)) {
            throw ApiException.badRequest(
                    "unsupported_api_version",
                    "The api-version '" + apiVersion + "' is not supported; supported versions: "
                            + String.join(", ", SUPPORTED) + ".",
                    PARAM);
        }
        return apiVersion;
    }
}
