// The REST router (compiled from the command table) and the merge of path, query and body.
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "rest_gateway/router.h"
#include "tests/unit/util.h"

namespace kyc {
namespace {

using test::Contains;

bool IsParam(std::string_view seg) { return seg.size() > 2 && seg.front() == '{'; }

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The route's path with every {param} replaced by `value`.
std::string Concrete(std::string_view pattern, std::string_view value) {
  std::string out;
  for (auto seg : Segments(pattern)) {
    out.push_back('/');
    out.append(IsParam(seg) ? value : seg);
  }
  return out;
}

TEST_CASE("router: every route of the command table matches its command") {
  Router router;
  int routes = 0;
  for (const auto& spec : Commands()) {
    for (const auto& r : spec.routes) {
      if (r.method.empty()) continue;
      ++routes;
      std::string path = Concrete(r.path, "17");
      CAPTURE(spec.name);
      CAPTURE(path);
      RouteMatch m;
      std::string allow;
      REQUIRE(router.Match(r.method, path, &m, &allow) == RouteOutcome::kFound);
      CHECK(m.spec == &spec);
      std::vector<std::string> names;  // the route's parameters, in order, without braces
      for (auto seg : Segments(r.path)) {
        if (IsParam(seg)) names.emplace_back(seg.substr(1, seg.size() - 2));
      }
      REQUIRE(m.path_params.size() == names.size());
      for (size_t i = 0; i < names.size(); ++i) {
        CHECK(m.path_params[i].first == names[i]);
        CHECK(m.path_params[i].second == "17");
      }
    }
  }
  CHECK(routes >= 13);
  // Auth is TCP only.
  RouteMatch m;
  CHECK(router.Match("POST", "/auth", &m, nullptr) == RouteOutcome::kNotFound);
}

TEST_CASE("router: known routes resolve to the commands of PROTOCOL.md §4") {
  Router router;
  struct Case {
    std::string_view method, path, command;
  };
  for (const Case& c : {
           Case{"GET", "/ping", "Ping"},
           Case{"POST", "/auth/login", "Login"},
           Case{"POST", "/auth/logout", "Logout"},
           Case{"POST", "/manager/kyc/templates", "MngAddKycStepTemplate"},
           Case{"PUT", "/manager/kyc/templates/3", "MngUpdateKycStepTemplate"},
           Case{"PATCH", "/manager/kyc/templates/3", "MngUpdateKycStepTemplate"},
           Case{"DELETE", "/manager/kyc/templates/3", "MngDeleteKycStepTemplate"},
           Case{"GET", "/manager/kyc/templates", "MngGetKycStepTemplates"},
           Case{"POST", "/manager/sessions/client", "MngCreateClientSession"},
           Case{"POST", "/manager/managers", "MngAddManager"},
           Case{"PATCH", "/manager/managers/3", "MngUpdateManager"},
           Case{"GET", "/manager/managers", "MngGetManagers"},
       }) {
    CAPTURE(c.path);
    RouteMatch m;
    REQUIRE(router.Match(c.method, c.path, &m, nullptr) == RouteOutcome::kFound);
    CHECK(m.spec->name == c.command);
  }
}

TEST_CASE("router: {id} is extracted and percent-decoded") {
  Router router;
  RouteMatch m;
  REQUIRE(router.Match("DELETE", "/manager/kyc/templates/42", &m, nullptr) ==
          RouteOutcome::kFound);
  REQUIRE(m.path_params.size() == 1);
  CHECK(m.path_params[0].first == "id");
  CHECK(m.path_params[0].second == "42");

  REQUIRE(router.Match("GET", "/manager/kyc/templates/a%20b", &m, nullptr) ==
          RouteOutcome::kFound);
  CHECK(m.path_params[0].second == "a b");
  // '+' is a space only in query strings, not in paths.
  REQUIRE(router.Match("GET", "/manager/kyc/templates/a+b", &m, nullptr) == RouteOutcome::kFound);
  CHECK(m.path_params[0].second == "a+b");
  // A parameter that does not decode (or is empty) does not match.
  CHECK(router.Match("GET", "/manager/kyc/templates/%zz", &m, nullptr) ==
        RouteOutcome::kNotFound);
}

TEST_CASE("router: a literal route and a parameter route under one prefix are told apart") {
  Router router;
  RouteMatch m;
  REQUIRE(router.Match("GET", "/manager/kyc/templates", &m, nullptr) == RouteOutcome::kFound);
  CHECK(m.spec->name == "MngGetKycStepTemplates");
  CHECK(m.path_params.empty());
  REQUIRE(router.Match("GET", "/manager/kyc/templates/templates", &m, nullptr) ==
          RouteOutcome::kFound);
  CHECK(m.spec->name == "MngGetKycStepTemplate");
  CHECK(m.path_params[0].second == "templates");
}

TEST_CASE("router: a literal segment beats a parameter wherever two routes overlap") {
  // Generated from the table, so it covers every overlap routes like
  // `POST /steps/require` and `POST /steps/{id}` would create.
  Router router;
  int overlaps = 0;
  for (const auto& lit : Commands()) {
    for (const auto& lr : lit.routes) {
      if (lr.method.empty()) continue;
      for (const auto& par : Commands()) {
        for (const auto& pr : par.routes) {
          if (pr.method != lr.method || &par == &lit) continue;
          auto ls = Segments(lr.path), ps = Segments(pr.path);
          if (ls.size() != ps.size()) continue;
          bool overlap = true, fewer_literals = false;
          for (size_t i = 0; i < ls.size(); ++i) {
            if (IsParam(ps[i]) && !IsParam(ls[i])) fewer_literals = true;
            if (!IsParam(ps[i]) && !IsParam(ls[i]) && ps[i] != ls[i]) overlap = false;
            if (!IsParam(ps[i]) && IsParam(ls[i])) overlap = false;
          }
          if (!overlap || !fewer_literals) continue;
          ++overlaps;
          RouteMatch m;
          std::string path = Concrete(lr.path, "5");
          CAPTURE(path);
          REQUIRE(router.Match(lr.method, path, &m, nullptr) == RouteOutcome::kFound);
          CHECK(m.spec == &lit);
        }
      }
    }
  }
  MESSAGE("overlapping literal/parameter route pairs in the table: ", overlaps);
}

TEST_CASE("router: an unknown path is 404") {
  Router router;
  RouteMatch m;
  std::string allow = "untouched";
  for (std::string_view path : {"/", "/nope", "/manager", "/manager/kyc/templates/1/2",
                                "/manager/kyc/template", "/Ping"}) {
    CAPTURE(path);
    CHECK(router.Match("GET", path, &m, &allow) == RouteOutcome::kNotFound);
  }
  CHECK(allow.empty());
}

TEST_CASE("router: a known path with another method is 405 with the Allow list") {
  Router router;
  RouteMatch m;
  std::string allow;
  CHECK(router.Match("GET", "/auth/login", &m, &allow) == RouteOutcome::kMethodNotAllowed);
  CHECK(allow == "POST");

  CHECK(router.Match("DELETE", "/manager/managers/5", &m, &allow) ==
        RouteOutcome::kMethodNotAllowed);
  CHECK(allow == "PATCH, PUT");

  CHECK(router.Match("POST", "/manager/kyc/templates/5", &m, &allow) ==
        RouteOutcome::kMethodNotAllowed);
  for (auto part : {"PUT", "PATCH", "DELETE", "GET"}) {
    CHECK(Contains(allow, part));
  }
  CHECK(allow.size() == std::string("PUT, PATCH, DELETE, GET").size());  // each listed once

  CHECK(router.Match("PUT", "/manager/managers", &m, &allow) == RouteOutcome::kMethodNotAllowed);
  CHECK(Contains(allow, "POST"));
  CHECK(Contains(allow, "GET"));
  CHECK(router.Match("get", "/ping", &m, &allow) == RouteOutcome::kMethodNotAllowed);  // exact
}

TEST_CASE("router: UrlDecode") {
  std::string out;
  CHECK(UrlDecode("plain", out, true));
  CHECK(out == "plain");
  CHECK(UrlDecode("%41%62%2f%2F", out, false));
  CHECK(out == "Ab//");
  CHECK(UrlDecode("a+b%20c", out, true));
  CHECK(out == "a b c");
  CHECK(UrlDecode("a+b", out, false));
  CHECK(out == "a+b");
  CHECK(UrlDecode("%E2%82%AC", out, true));
  CHECK(out == "\xe2\x82\xac");
  CHECK(UrlDecode("", out, true));
  CHECK(out.empty());
  CHECK(UrlDecode("%25", out, true));
  CHECK(out == "%");
  for (std::string_view bad : {"%", "%4", "a%", "%zz", "%g0", "%0g", "ab%2"}) {
    CAPTURE(bad);
    CHECK_FALSE(UrlDecode(bad, out, true));
  }
}

TEST_CASE("router: MergeParams: path beats query beats body, URL fields are text") {
  auto merged = MergeParams(R"({"id":1,"brand":"body","level":3,"active":true})",
                            "brand=query&id=2&extra=a%20b+c", {{"id", "3"}}, 64);
  REQUIRE_MESSAGE(merged.ok(), merged.status().message());
  const Params& p = merged.value();
  CHECK(test::Str(p.doc, "id") == "3");
  CHECK(test::Str(p.doc, "brand") == "query");
  CHECK(test::Str(p.doc, "extra") == "a b c");
  CHECK(test::Int(p.doc, "level") == 3);
  CHECK(p.IsTextField("id"));
  CHECK(p.IsTextField("brand"));
  CHECK(p.IsTextField("extra"));
  CHECK_FALSE(p.IsTextField("level"));
  CHECK_FALSE(p.IsTextField("active"));

  ParamReader r(p);
  CHECK(r.Int("id") == 3);  // text "3" read as an integer
  CHECK(r.String("brand") == "query");
  CHECK(r.OptInt("level") == 3);
  CHECK(r.OptBool("active") == true);
  CHECK(r.String("extra") == "a b c");
  CHECK(r.Finish().ok());
}

TEST_CASE("router: MergeParams: query values are parsed where the field is typed") {
  auto merged = MergeParams("", "active=false&level=2&offset=0&limit=10&flag", {}, 64);
  REQUIRE(merged.ok());
  ParamReader r(merged.value());
  CHECK(r.OptBool("active") == false);
  CHECK(r.OptInt("level") == 2);
  CHECK(r.OptInt("offset") == 0);
  CHECK(r.OptInt("limit") == 10);
  CHECK(r.OptString("flag") == std::string());  // present, empty text
  CHECK(r.Finish().ok());

  // A body string is not text: "2" in JSON stays a string.
  auto body = MergeParams(R"({"level":"2"})", "", {}, 64);
  REQUIRE(body.ok());
  ParamReader rb(body.value());
  CHECK_FALSE(rb.OptInt("level").has_value());
  CHECK(rb.Finish().code() == Code::kBadRequest);
}

TEST_CASE("router: MergeParams: a malformed body or query is bad_request") {
  for (std::string_view body : {"{", "[1,2]", "42", "{\"a\":\xff}"}) {
    CAPTURE(body);
    auto r = MergeParams(body, "", {}, 64);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
    CHECK(r.status().message().starts_with("request body: "));
  }
  auto deep = MergeParams(R"({"a":[[[1]]]})", "", {}, 3);
  CHECK(deep.status().code() == Code::kBadRequest);
  CHECK(MergeParams(R"({"a":[[1]]})", "", {}, 3).ok());

  for (std::string_view query : {"a=%zz", "%=1", "=5", "a=1&=2"}) {
    CAPTURE(query);
    auto r = MergeParams("", query, {}, 64);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
  }
  CHECK(MergeParams("", "&&a=1&", {}, 64).ok());  // empty pairs are skipped
}

}  // namespace
}  // namespace kyc
