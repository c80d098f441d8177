package dev.azinfer.api;

/** Descriptions shared by several documented parameters. */
final class ApiDocs {

    static final String API_VERSION = "The API version. 2024-05-01-preview is what the Azure SDKs send.";
    static final String EXTRA_PARAMETERS =
            "What to do with body fields the API does not define: error (the default) rejects them,"
                    + " drop removes them, pass-through sends them to the model.";
    static final String DEPLOYMENT_HEADER =
            "The deployment to use when the request names none with model (the body's field for chat completions, the query parameter for model info).";

    private ApiDocs() {}
}
