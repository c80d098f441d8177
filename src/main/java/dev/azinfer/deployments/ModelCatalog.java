package dev.azinfer.deployments;

import dev.azinfer.config.CatalogModelConfig;
import dev.azinfer.config.ProviderConfig;
import dev.azinfer.config.ServiceConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The models and versions deployments can be made of, from configuration; checked at start. */
@Startup
@ApplicationScoped
public class ModelCatalog {

    /** A version of a model, with what its lifecycle says. */
    public record Entry(
            String format,
            String name,
            String version,
            boolean isDefaultVersion,
            List<String> capabilities,
            Optional<LocalDate> retirementDate,
            Optional<LocalDate> defaultSince,
            ProviderConfig provider) {

        public boolean retiredOn(LocalDate day) {
            return retirementDate.map(d -> !day.isBefore(d)).orElse(false);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    public ModelCatalog(ServiceConfig config) {
        for (Map.Entry<String, CatalogModelConfig> model : config.catalog().entrySet()) {
            CatalogModelConfig m = model.getValue();
            if (!m.versions().containsKey(m.defaultVersion())) {
                throw new IllegalStateException("azinfer.catalog.\"" + model.getKey() + "\".default-version is '"
                        + m.defaultVersion() + "', which is not one of its versions "
                        + m.versions().keySet());
            }
            for (Map.Entry<String, CatalogModelConfig.Version> v : m.versions().entrySet()) {
                ProviderConfig.requireUsable(
                        "azinfer.catalog.\"" + model.getKey() + "\".versions.\"" + v.getKey() + "\".", v.getValue());
                entries.add(new Entry(
                        m.format(),
                        model.getKey(),
                        v.getKey(),
                        v.getKey().equals(m.defaultVersion()),
                        List.copyOf(m.capabilities()),
                        v.getValue().retirementDate(),
                        v.getValue().defaultSince(),
                        v.getValue()));
            }
        }
        entries.sort(Comparator.comparing(Entry::name).thenComparing(Entry::version));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The versions of a model (name matched case-insensitively), oldest first; empty when the catalog has no such model. */
    public List<Entry> versions(String model) {
        return entries.stream().filter(e -> e.name().equalsIgnoreCase(model)).toList();
    }

    public Optional<Entry> find(String model, String version) {
        return versions(model).stream().filter(e -> e.version().equals(version)).findFirst();
    }

    /** Orders versions as people read them: digit runs as numbers ("2" before "10"), the rest as text. */
    public static int compareVersions(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].chars().allMatch(Character::isDigit) && y[i].chars().allMatch(Character::isDigit)
                    ? new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]))
                    : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    public Optional<Entry> defaultVersion(String model) {
        return versions(model).stream().filter(Entry::isDefaultVersion).findFirst();
    }
}
