#include "text_escape.h"

#include <cstdio>

namespace audit_fields {

std::string json_string(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof(buf), "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    out += '"';
    return out;
}

std::string xml_text(std::string_view s) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t nl = s.find('\n'); nl != std::string_view::npos; nl = s.find('\n', start)) {
        out += xml_escape(s.substr(start, nl - start)) + "\n";
        start = nl + 1;
    }
    return out + xml_escape(s.substr(start));
}

std::string xml_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        case '\n':
            out += "&#10;";
            break;
        case '\t':
        case '\r':
            out += ch;
            break;
        default:
            out += c < 0x20 ? '?' : ch;
        }
    }
    return out;
}

} // namespace audit_fields
