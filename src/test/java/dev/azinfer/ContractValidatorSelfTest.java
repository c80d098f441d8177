package dev.azinfer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.azinfer.support.Api;
import org.junit.jupiter.api.Test;

/** The contract check the endpoint tests rely on does catch answers that break the contract. */
class ContractValidatorSelfTest {

    private final OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForSpecificationUrl(
                    Api.SPEC_2024.toUri().toString())
            .build();

    private ValidationReport check(String body) {
        return validator.validateResponse(
                "/info",
                Request.Method.GET,
                SimpleResponse.Builder.ok()
                        .withContentType("application/json")
                        .withBody(body)
                        .build());
    }

    @Test
    void model_info_missing_a_required_field_is_rejected() {
        assertTrue(check("{\"model_name\":\"m\",\"model_provider_name\":\"p\"}").hasErrors());
    }

    @Test
    void model_info_with_an_unknown_model_type_is_rejected() {
        assertTrue(check("{\"model_name\":\"m\",\"model_type\":\"toaster\",\"model_provider_name\":\"p\"}")
                .hasErrors());
    }

    @Test
    void a_correct_model_info_passes() {
        assertFalse(check("{\"model_name\":\"m\",\"model_type\":\"chat_completion\",\"model_provider_name\":\"p\"}")
                .hasErrors());
    }
}
