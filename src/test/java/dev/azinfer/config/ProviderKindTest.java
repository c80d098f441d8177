package dev.azinfer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.azinfer.config.ProviderConfig.ProviderKind;
import org.junit.jupiter.api.Test;

/** How a deployment's {@code provider} setting is read. */
class ProviderKindTest {

    private final ProviderKind.Named named = new ProviderKind.Named();

    @Test
    void the_names_of_the_readme_and_the_enum_constants_are_read_in_any_case() {
        assertEquals(ProviderKind.OPENAI, named.convert("openai"));
        assertEquals(ProviderKind.AZURE_OPENAI, named.convert("azure-openai"));
        assertEquals(ProviderKind.AZURE_OPENAI, named.convert("AZURE_OPENAI"));
        assertEquals(ProviderKind.AZURE_AI, named.convert("Azure-AI"));
        assertEquals(ProviderKind.LOCAL, named.convert(" local "));
    }

    @Test
    void a_wrong_name_is_refused_naming_every_kind() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> named.convert("azure"));
        assertEquals("the provider is one of openai, azure-openai, azure-ai, local; not 'azure'", e.getMessage());
    }
}
