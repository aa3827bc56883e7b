// What integrators and operators read (issue 18): the OpenAPI document generated from the
// command table, and the Prometheus scrape.
#include "handlers/handlers.h"
#include "protocol/openapi.h"

namespace kyc::handlers {

Result<std::string> GetOpenApi(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  // The table is fixed at compile time: the document is rendered once.
  static const auto kDocument = std::make_shared<const std::string>(OpenApiJson(KYC_VERSION));
  return c.Share(kDocument);
}

Result<std::string> GetMetrics(Call& c) {
  ParamReader p(c.params);
  if (Status s = p.Finish(); !s.ok()) return s;
  c.content_type = "text/plain; version=0.0.4; charset=utf-8";
  return c.core.metrics().Render();
}

}  // namespace kyc::handlers
