// Reads what the scanner needs from a live database over libpq: the three catalog queries of
// core/catalog_queries.h in one read-only repeatable-read transaction, so they see one snapshot.
#pragma once

#include "core/scan_model.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace audit_fields::cli {

struct CatalogSnapshot {
    std::string database;
    bool extension_installed = false;
    std::string extension_version; // "" when not installed
    std::vector<scan::Table> tables;
    std::vector<std::string> missing_schemas; // --schema values naming no schema
};

// A connection or query failure, with libpq's message reduced to one line.
class DatabaseError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

CatalogSnapshot read_catalog(const std::string& dsn, const std::vector<std::string>& schemas);

} // namespace audit_fields::cli
