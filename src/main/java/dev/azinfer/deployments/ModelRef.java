package dev.azinfer.deployments;

/** The model a deployment serves, as Azure names it: {@code {format, name, version}}. */
public record ModelRef(String format, String name, String version) {

    public ModelRef withVersion(String newVersion) {
        return new ModelRef(format, name, newVersion);
    }

    @Override
    public String toString() {
        return format + "/" + name + "@" + version;
    }
}
