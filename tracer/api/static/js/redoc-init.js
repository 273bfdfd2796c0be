// Starts ReDoc on /redoc from the vendored bundle (no inline script, as on /docs). The container
// carries the OpenAPI document's URL and the request's style nonce, which ReDoc puts on the
// <style> element its styled-components writes to, so the page's policy needs no 'unsafe-inline'.
"use strict";

(() => {
  const container = document.getElementById("redoc");
  Redoc.init(container.dataset.openapi, { nonce: container.dataset.styleNonce }, container);
})();
