#include "glob.h"

#include <string>

namespace audit_fields {

// Iterative matcher with one backtrack point: linear in practice, never exponential on
// patterns such as "a*a*a*a*b".
bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0, t = 0;
    std::size_t star_p = std::string_view::npos, star_t = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == '*') {
            star_p = p++;
            star_t = t;
            continue;
        }
        if (p < pattern.size()) {
            char want = pattern[p];
            std::size_t width = 1;
            if (want == '\\' && p + 1 < pattern.size()) {
                want = pattern[p + 1];
                width = 2;
            }
            if ((pattern[p] == '?') || want == text[t]) {
                p += width;
                ++t;
                continue;
            }
        }
        if (star_p == std::string_view::npos)
            return false;
        p = star_p + 1;
        t = ++star_t;
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool exclude_matches(std::string_view pattern, std::string_view schema, std::string_view table) {
    bool has_dot = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\')
            ++i;
        else if (pattern[i] == '.')
            has_dot = true;
    }
    if (!has_dot)
        return glob_match(pattern, table);
    std::string full;
    full.reserve(schema.size() + table.size() + 1);
    full.append(schema).append(".").append(table);
    return glob_match(pattern, full);
}

} // namespace audit_fields
