// Starts Swagger UI on /docs from the vendored bundle. It lives in a file, not in the page, so the
// page's policy can forbid inline scripts; the OpenAPI document's URL is the container's
// data-openapi attribute (written by tracer/api/docs.py).
"use strict";

(() => {
  const container = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: container.dataset.openapi,
    domNode: container,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    validatorUrl: null, // no badge image from the public validator: nothing leaves this origin
  });
})();
