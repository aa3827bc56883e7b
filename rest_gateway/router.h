// The REST router: routes compiled once from the command table, matched by method and
// path; and the merge of path, query string and body into one params object.
// No Beast here: the router is pure and unit-tested on strings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/commands.h"
#include "protocol/json.h"

namespace kyc {

struct RouteMatch {
  const CommandSpec* spec = nullptr;
  std::vector<std::pair<std::string, std::string>> path_params;  // {"id", "17"}
};

enum class RouteOutcome { kFound, kNotFound, kMethodNotAllowed };

class Router {
 public:
  Router();  // compiles every route of Commands()

  // kMethodNotAllowed when the path is known with other methods; `allow` lists them.
  RouteOutcome Match(std::string_view method, std::string_view path, RouteMatch* out,
                     std::string* allow) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    const CommandSpec* spec;
  };
  static bool MatchPath(const Route& r, const std::vector<std::string_view>& segs,
                        std::vector<std::pair<std::string, std::string>>* params);
  std::vector<Route> routes_;
};

// Percent-decoding of URL text ('+' is a space in query strings). false when malformed.
bool UrlDecode(std::string_view in, std::string& out, bool plus_is_space);

// Builds params: the JSON body (an object, or empty) first, then the query string's
// fields, then the path parameters; later sources win. URL fields are marked as text so
// typed readers parse integers and booleans. bad_request when the body or query is bad.
Result<Params> MergeParams(std::string_view body, std::string_view query,
                           const std::vector<std::pair<std::string, std::string>>& path_params,
                           size_t max_depth);

}  // namespace kyc
