package dev.azinfer.management;

import dev.azinfer.config.CatalogModelConfig;
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
            Optional<LocalDate> defaultSince) {

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
                entries.add(new Entry(
                        m.format(),
                        model.getKey(),
                        v.getKey(),
                        v.getKey().equals(m.defaultVersion()),
                        List.copyOf(m.capabilities()),
                        v.getValue().retirementDate(),
                        v.getValue().defaultSince()));
            }
        }
        entries.sort(Comparator.comparing(Entry::name).thenComparing(Entry::version));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
