// Tracker Locks: Swagger UI on this server's own OpenAPI document (the webjar's default opens a demo document).
window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1alpha1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    // No badge from the public validator: it would send this server's address to the internet.
    validatorUrl: null
  });
};
