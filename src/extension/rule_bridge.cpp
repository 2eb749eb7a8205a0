#include "rule_bridge.h"

#include "core/ignore_marker.h"
#include "core/options_json.h"

#include <cstring>
#include <string>
#include <vector>

namespace audit_fields::pg {

bool bridge_ignore_reason(const char* comment, char* reason, std::size_t reason_len) noexcept {
    try {
        const auto found = scan::ignore_reason(comment);
        if (!found || found->size() >= reason_len)
            return false;
        std::memcpy(reason, found->c_str(), found->size() + 1);
        return true;
    } catch (...) {
        return false;
    }
}

std::size_t bridge_trigger_options_json(const char* bytes, std::size_t len, char* out,
                                        std::size_t out_len) noexcept {
    try {
        const std::string json = trigger_options_json(split_trigger_args({bytes, len}));
        if (json.size() < out_len)
            std::memcpy(out, json.c_str(), json.size() + 1);
        return json.size();
    } catch (...) {
        return 0;
    }
}

} // namespace audit_fields::pg
