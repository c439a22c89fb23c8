// driftgate — version: the single place the project's version is defined.
// CMakeLists.txt reads these three lines; `driftgate --version` prints them.
#pragma once

#define DRIFTGATE_VERSION_MAJOR 0
#define DRIFTGATE_VERSION_MINOR 2
#define DRIFTGATE_VERSION_PATCH 0

#define DRIFTGATE_DETAIL_STR2(x) #x
#define DRIFTGATE_DETAIL_STR(x) DRIFTGATE_DETAIL_STR2(x)
#define DRIFTGATE_VERSION_STRING                                                                    \
    DRIFTGATE_DETAIL_STR(DRIFTGATE_VERSION_MAJOR)                                                  \
    "." DRIFTGATE_DETAIL_STR(DRIFTGATE_VERSION_MINOR) "." DRIFTGATE_DETAIL_STR(DRIFTGATE_VERSION_PATCH)

namespace driftgate {
inline namespace v0 {
/// The library's version as "major.minor.patch".
inline constexpr const char* version_string = DRIFTGATE_VERSION_STRING;
} // namespace v0
} // namespace driftgate
