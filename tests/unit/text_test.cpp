#include <doctest/doctest.h>

#include <set>
#include <string>

#include <fmt/format.h>

#include "kyc/text.h"

using kyc::Text;
using kyc::TextInterner;

TEST_CASE("text: reads like a std::string, empty costs nothing") {
  Text empty;
  CHECK(empty.empty());
  CHECK(empty.str().empty());
  CHECK(Text(std::string()).empty());
  CHECK(Text("").empty());

  Text t = std::string("proof_id");
  CHECK(!t.empty());
  CHECK(t.size() == 8);
  CHECK(t == "proof_id");
  CHECK(t == std::string("proof_id"));
  CHECK(std::string("proof_id") == t);
  CHECK(!(t == "proof"));
  const std::string& s = t;
  CHECK(s == "proof_id");
  std::set<std::string> codes;
  codes.insert(t);
  CHECK(codes.count(t) == 1);
  CHECK(fmt::format("[{}]", t) == "[proof_id]");
}

TEST_CASE("text: copies share, assignment replaces only the copy") {
  Text a = "Proof of identity, a name longer than fifteen";
  Text b = a;
  CHECK(&a.str() == &b.str());  // one string, two holders
  b = "changed";
  CHECK(a == "Proof of identity, a name longer than fifteen");
  CHECK(b == "changed");
  Text c = std::move(a);
  CHECK(a.empty());
  CHECK(c == "Proof of identity, a name longer than fifteen");
}

TEST_CASE("text interner: equal values share one string, up to a bound") {
  TextInterner interner(/*max_values=*/2);
  Text a1 = interner.Get("passport");
  Text a2 = interner.Get("passport");
  CHECK(&a1.str() == &a2.str());
  CHECK(interner.Get("").empty());
  Text b = interner.Get("utility_bill");
  Text c1 = interner.Get("third");  // past the bound: a plain Text
  Text c2 = interner.Get("third");
  CHECK(c1 == c2);
  CHECK(&c1.str() != &c2.str());
  CHECK(b == "utility_bill");
}
