// Test-only strict parsers, so that "the JSON parses" and "the JUnit XML is well formed" are
// checked without adding a library to the build. Shared by the core and CLI integration tests.
#pragma once

#include <cctype>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace audit_fields::testing {

// ---- JSON (RFC 8259, strict: no trailing commas, no comments) ----
struct Json {
    enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
    bool b = false;
    double n = 0;
    std::string s;
    std::vector<Json> items;
    std::vector<std::pair<std::string, Json>> members; // in document order

    const Json& operator[](const std::string& key) const {
        for (const auto& m : members)
            if (m.first == key)
                return m.second;
        throw std::runtime_error("no key " + key);
    }
    bool has(const std::string& key) const {
        for (const auto& m : members)
            if (m.first == key)
                return true;
        return false;
    }
};

class JsonParser {
  public:
    explicit JsonParser(const std::string& text) : t_(text) {}
    Json parse() {
        Json v = value();
        ws();
        if (p_ != t_.size())
            fail("trailing characters");
        return v;
    }

  private:
    const std::string& t_;
    std::size_t p_ = 0;

    [[noreturn]] void fail(const std::string& why) {
        throw std::runtime_error("JSON: " + why + " at offset " + std::to_string(p_));
    }
    void ws() {
        while (p_ < t_.size() &&
               (t_[p_] == ' ' || t_[p_] == '\n' || t_[p_] == '\t' || t_[p_] == '\r'))
            ++p_;
    }
    void expect(const char* word) {
        for (const char* w = word; *w; ++w, ++p_)
            if (p_ >= t_.size() || t_[p_] != *w)
                fail(std::string("expected ") + word);
    }
    std::string string() {
        if (t_[p_] != '"')
            fail("expected string");
        ++p_;
        std::string out;
        while (true) {
            if (p_ >= t_.size())
                fail("unterminated string");
            const unsigned char c = t_[p_++];
            if (c == '"')
                return out;
            if (c < 0x20)
                fail("control character in string");
            if (c != '\\') {
                out += static_cast<char>(c);
                continue;
            }
            if (p_ >= t_.size())
                fail("bad escape");
            const char e = t_[p_++];
            switch (e) {
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            case '/':
                out += '/';
                break;
            case 'b':
                out += '\b';
                break;
            case 'f':
                out += '\f';
                break;
            case 'n':
                out += '\n';
                break;
            case 'r':
                out += '\r';
                break;
            case 't':
                out += '\t';
                break;
            case 'u': {
                if (p_ + 4 > t_.size())
                    fail("bad \\u escape");
                const long code = std::strtol(t_.substr(p_, 4).c_str(), nullptr, 16);
                p_ += 4;
                out += code < 0x80 ? static_cast<char>(code) : '?';
                break;
            }
            default:
                fail("bad escape");
            }
        }
    }
    Json value() {
        ws();
        if (p_ >= t_.size())
            fail("unexpected end");
        Json v;
        const char c = t_[p_];
        if (c == '{') {
            v.kind = Json::Object;
            ++p_;
            ws();
            if (t_[p_] == '}') {
                ++p_;
                return v;
            }
            while (true) {
                ws();
                std::string key = string();
                ws();
                expect(":");
                v.members.emplace_back(key, value());
                ws();
                if (t_[p_] == ',') {
                    ++p_;
                    continue;
                }
                expect("}");
                return v;
            }
        }
        if (c == '[') {
            v.kind = Json::Array;
            ++p_;
            ws();
            if (t_[p_] == ']') {
                ++p_;
                return v;
            }
            while (true) {
                v.items.push_back(value());
                ws();
                if (t_[p_] == ',') {
                    ++p_;
                    continue;
                }
                expect("]");
                return v;
            }
        }
        if (c == '"') {
            v.kind = Json::String;
            v.s = string();
            return v;
        }
        if (c == 't' || c == 'f') {
            v.kind = Json::Bool;
            v.b = c == 't';
            expect(v.b ? "true" : "false");
            return v;
        }
        if (c == 'n') {
            expect("null");
            return v;
        }
        char* end = nullptr;
        v.kind = Json::Number;
        v.n = std::strtod(t_.c_str() + p_, &end);
        if (end == t_.c_str() + p_)
            fail("unexpected character");
        p_ = static_cast<std::size_t>(end - t_.c_str());
        return v;
    }
};

inline Json parse_json(const std::string& text) {
    return JsonParser(text).parse();
}

// ---- XML well-formedness (elements, attributes, the five entities, numeric references) ----
struct XmlElement {
    std::string name;
    std::map<std::string, std::string> attrs;
    std::vector<std::shared_ptr<XmlElement>> children;
    std::string text;
};

class XmlParser {
  public:
    explicit XmlParser(const std::string& text) : t_(text) {}
    std::shared_ptr<XmlElement> parse() {
        if (t_.compare(0, 5, "<?xml") == 0) {
            p_ = t_.find("?>");
            if (p_ == std::string::npos)
                fail("bad declaration");
            p_ += 2;
        }
        ws();
        auto root = element();
        ws();
        if (p_ != t_.size())
            fail("content after the root element");
        return root;
    }

  private:
    const std::string& t_;
    std::size_t p_ = 0;
    [[noreturn]] void fail(const std::string& why) {
        throw std::runtime_error("XML: " + why + " at offset " + std::to_string(p_));
    }
    void ws() {
        while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_])))
            ++p_;
    }
    std::string name() {
        const std::size_t start = p_;
        while (p_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[p_])) ||
                                  t_[p_] == '_' || t_[p_] == '-' || t_[p_] == ':' || t_[p_] == '.'))
            ++p_;
        if (start == p_)
            fail("expected a name");
        return t_.substr(start, p_ - start);
    }
    std::string decode(const std::string& raw) {
        std::string out;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            const unsigned char c = raw[i];
            if (c == '<')
                fail("raw < in text");
            if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
                fail("control character");
            if (c != '&') {
                out += static_cast<char>(c);
                continue;
            }
            const std::size_t semi = raw.find(';', i);
            if (semi == std::string::npos)
                fail("unterminated entity");
            const std::string ent = raw.substr(i + 1, semi - i - 1);
            if (ent == "amp")
                out += '&';
            else if (ent == "lt")
                out += '<';
            else if (ent == "gt")
                out += '>';
            else if (ent == "quot")
                out += '"';
            else if (ent == "apos")
                out += '\'';
            else if (!ent.empty() && ent[0] == '#')
                out += static_cast<char>(std::atoi(ent.c_str() + 1));
            else
                fail("unknown entity &" + ent + ";");
            i = semi;
        }
        return out;
    }
    std::shared_ptr<XmlElement> element() {
        if (t_[p_] != '<')
            fail("expected <");
        ++p_;
        auto e = std::make_shared<XmlElement>();
        e->name = name();
        while (true) {
            ws();
            if (t_.compare(p_, 2, "/>") == 0) {
                p_ += 2;
                return e;
            }
            if (t_[p_] == '>') {
                ++p_;
                break;
            }
            const std::string key = name();
            ws();
            if (t_[p_] != '=')
                fail("expected =");
            ++p_;
            ws();
            const char q = t_[p_];
            if (q != '"' && q != '\'')
                fail("unquoted attribute");
            const std::size_t end = t_.find(q, p_ + 1);
            if (end == std::string::npos)
                fail("unterminated attribute");
            if (e->attrs.count(key))
                fail("duplicate attribute " + key);
            e->attrs[key] = decode(t_.substr(p_ + 1, end - p_ - 1));
            p_ = end + 1;
        }
        while (true) {
            const std::size_t lt = t_.find('<', p_);
            if (lt == std::string::npos)
                fail("unterminated element " + e->name);
            e->text += decode(t_.substr(p_, lt - p_));
            p_ = lt;
            if (t_.compare(p_, 2, "</") == 0) {
                p_ += 2;
                if (name() != e->name)
                    fail("mismatched end tag for " + e->name);
                ws();
                if (t_[p_] != '>')
                    fail("expected >");
                ++p_;
                return e;
            }
            e->children.push_back(element());
        }
    }
};

inline std::shared_ptr<XmlElement> parse_xml(const std::string& text) {
    return XmlParser(text).parse();
}

} // namespace audit_fields::testing
