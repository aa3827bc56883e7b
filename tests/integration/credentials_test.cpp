// Each kind of caller's credential opens its own routes only (issue 17): a table of
// routes × credentials over HTTP — staff bearer, client bearer, a provider's signature,
// nothing — with the status each must get.
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "funds/rules.h"
#include "tests/integration/http_client.h"
#include "tests/integration/kyc_helpers.h"
#include "tests/integration/server_process.h"

namespace kyc::itest {

TEST_CASE_FIXTURE(RunningServer, "each route rejects the other callers' credentials") {
  auto admin = AdminClient(server);
  constexpr std::string_view kSecret = "psp-secret-0123456789";
  CallOk(*admin, "MngSetPaymentChannel",
         fmt::format(R"({{"brand":"acme","code":"card-acme","name":"Cards","kind":"card",)"
                     R"("currencies":["EUR"],"min_amount":"1","max_amount":"100",)"
                     R"("callback_secret":"{}"}})", kSecret));
  CallOk(*admin, "MngAddCustomer", R"({"customer_id":1,"brand":"acme","first_name":"Ann","last_name":"Lee"})");
  const std::string staff = AdminHttpToken(server);
  const std::string client = ClientToken(*admin, 1, "acme");
  const std::string body = R"({"deposit_id":1,"psp_order_id":"o","status":"pending","amount":"1","currency":"EUR"})";
  const std::string signature = CallbackSignature(kSecret, body);

  struct Route {
    std::string method, target, body;
  };
  const Route staff_route{"GET", "/manager/customers?brand=acme", ""};
  const Route client_route{"GET", "/client/kyc/profile", ""};
  const Route psp_route{"POST", "/psp/card-acme/callback", body};
  struct Credential {
    std::string name, token;
    bool signed_body;
  };
  const std::vector<Credential> credentials = {
      {"staff", staff, false}, {"client", client, false}, {"psp", "", true}, {"none", "", false}};
  // Expected status per route and credential, in the order above.
  const std::vector<std::pair<Route, std::vector<int>>> table = {
      {staff_route, {200, 403, 401, 401}},
      // 404: the route opened for the client, whose customer has no KYC profile yet.
      {client_route, {403, 404, 401, 401}},
      // A callback is judged by its signature alone: a bearer token adds nothing to it.
      {psp_route, {401, 401, 404, 401}},
  };
  for (const auto& [route, expected] : table) {
    for (size_t i = 0; i < credentials.size(); ++i) {
      const Credential& cred = credentials[i];
      CAPTURE(route.target);
      CAPTURE(cred.name);
      HttpClient http("127.0.0.1", server.http_port());
      if (!cred.token.empty()) http.set_token(cred.token);
      std::map<std::string, std::string> headers;
      if (cred.signed_body) headers["X-Signature"] = signature;
      HttpResponse r = http.Request(route.method, route.target, route.body, headers);
      CHECK(r.status == expected[i]);
    }
  }
}

}  // namespace kyc::itest
