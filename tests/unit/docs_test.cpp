// docs/PROTOCOL.md embeds the command list generated from the command table; this keeps
// the two in step (refresh with docs/update-command-list.sh).
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "protocol/commands.h"
#include "protocol/json.h"
#include "protocol/openapi.h"

TEST_CASE("docs/PROTOCOL.md carries the command list generated from the table") {
  std::ifstream in(KYC_DOCS_PROTOCOL);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- commands:begin -->\n", end = "<!-- commands:end -->";
  auto i = doc.find(begin), j = doc.find(end);
  REQUIRE(i != std::string::npos);
  REQUIRE(j != std::string::npos);
  std::string embedded = doc.substr(i + begin.size(), j - i - begin.size());
  CHECK_MESSAGE(embedded == kyc::CommandListMarkdown(),
                "run docs/update-command-list.sh to refresh docs/PROTOCOL.md");
}

TEST_CASE("every command of the table is in the generated list once") {
  const std::string list = kyc::CommandListMarkdown();
  for (const auto& c : kyc::Commands()) {
    std::string cell = "| `" + std::string(c.name) + "` |";
    auto first = list.find(cell);
    CHECK_MESSAGE(first != std::string::npos, c.name);
    CHECK(list.find(cell, first + 1) == std::string::npos);
  }
}

TEST_CASE("docs/openapi.json is the OpenAPI document the server serves") {
  std::ifstream in(std::string(KYC_DOCS_DIR) + "/openapi.json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document kept, served;
  REQUIRE(kyc::ParseJson(text.str(), kept, 1000).ok());
  REQUIRE(kyc::ParseJson(kyc::OpenApiJson(KYC_VERSION), served, 1000).ok());
  CHECK_MESSAGE(kept == served, "run docs/update-command-list.sh to refresh docs/openapi.json");
}
