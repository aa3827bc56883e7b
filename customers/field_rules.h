// The shape rules of the client record's fields (issue 13): e-mail, E.164 phone, ISO 4217
// currency, identity documents and their normalized numbers, the Thai national ID check
// digit. Pure functions; dates and countries are kyc/rules.h's IsIsoDate, IsCountryCode.
#pragma once

#include <string>
#include <string_view>

#include "kyc/rules.h"  // NormalizeDocNumber, IsCountryCode, IsIsoDate

namespace kyc {

// local@domain.tld: one '@', no spaces or control characters, a dot in the domain, no
// empty label, at most 254 bytes.
bool IsEmail(std::string_view email);
// E.164: '+', then 7 to 15 digits, the first not 0.
bool IsE164Phone(std::string_view phone);
// An active ISO 4217 alphabetic code (upper case), or a crypto asset code the exchange
// desks use (BTC, ETH, USDT, USDC).
bool IsCurrencyCode(std::string_view code);

// The identity document types of the client record.
bool IsIdentityDocType(std::string_view type);
inline constexpr std::string_view kIdentityDocTypes =
    "passport, id_card, residence_permit, driving_licence, national_id";

// A Thai national ID: 13 digits whose last is the check digit
// (11 - Σ d[i]·(13 - i) mod 11) mod 10 over the first 12.
bool IsThaiNationalId(std::string_view digits);

}  // namespace kyc
