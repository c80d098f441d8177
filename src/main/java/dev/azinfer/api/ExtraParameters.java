package dev.azinfer.api;

import java.util.Locale;

/** The {@code extra-parameters} header: what to do with body fields the API does not define. */
public enum ExtraParameters {
    ERROR("error"),
    DROP("drop"),
    PASS_THROUGH("pass-through");

    public static final String HEADER = "extra-parameters";

    private final String wire;

    ExtraParameters(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static ExtraParameters parse(String header) {
        if (header == null || header.isBlank()) {
            return ERROR;
        }
        String value = header.trim().toLowerCase(Locale.ROOT);
        for (ExtraParameters mode : values()) {
            if (mode.wire.equals(value)) {
                return mode;
            }
        }
        throw ApiException.badRequest(
                "invalid_header",
                "The header 'extra-parameters' must be 'error', 'drop' or 'pass-through', not '" + header + "'.",
                HEADER);
    }
}
