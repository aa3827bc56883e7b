// The web review console (issue 18): its files, built into the binary by
// cmake/embed_files.cmake from console/, and served by the gateway under /console/.
#pragma once

#include <span>
#include <string_view>

namespace kyc {

struct StaticFile {
  std::string_view name;   // "index.html", "app.js"
  std::string_view bytes;
};

std::span<const StaticFile> ConsoleFiles();

// The Content-Type of a console file by its extension.
std::string_view StaticContentType(std::string_view name);

}  // namespace kyc
