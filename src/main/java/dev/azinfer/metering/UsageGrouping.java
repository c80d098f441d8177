package dev.azinfer.metering;

import dev.azinfer.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What the usage API can group totals by: the ledger column and the field name of the answer. */
public enum UsageGrouping {
    DAY("usage_day", "day"),
    DEPLOYMENT("deployment", "deployment"),
    MODEL("model", "model"),
    VERSION("model_version", "modelVersion"),
    KEY("key_id", "keyId"),
    OUTCOME("outcome", "outcome"),
    STATUS("status", "status");

    private final String column;
    private final String field;

    UsageGrouping(String column, String field) {
        this.column = column;
        this.field = field;
    }

    String column() {
        return column;
    }

    public String field() {
        return field;
    }

    /** Parses {@code groupBy=day,deployment}; 400 naming the allowed values otherwise. */
    public static List<UsageGrouping> parse(String value) {
        List<UsageGrouping> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return List.of(DAY);
        }
        for (String part : value.split(",")) {
            String p = part.trim().toUpperCase(Locale.ROOT);
            try {
                UsageGrouping g = p.equals("KEYID") ? KEY : p.equals("MODELVERSION") ? VERSION : valueOf(p);
                if (!out.contains(g)) {
                    out.add(g);
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        "invalid_group_by",
                        "groupBy takes day, deployment, model, modelVersion, key, outcome and status (comma separated), not '"
                                + part.trim() + "'.",
                        "groupBy");
            }
        }
        return out;
    }
}
