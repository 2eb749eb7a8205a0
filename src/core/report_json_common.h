// Pieces the JSON and SARIF reports share: the record of the inputs that produced a report, and
// a finding as a JSON object.
#pragma once
#include "no_postgres.h"

#include "report_format.h"

#include <nlohmann/json.hpp>

namespace audit_fields::scan {

using ojson = nlohmann::ordered_json;

// {"schemas", "exclude", "config": {"file", "settings"}, "baseline": {"file", "entries"}|null,
//  "today"}: enough to reproduce the run.
ojson inputs_json(const ReportContext& context);

ojson finding_json(const Finding& finding);

// Serialises with invalid UTF-8 (a SQL_ASCII database's names) replaced, never an exception.
std::string dump(const ojson& doc, int indent);

} // namespace audit_fields::scan
