// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// A small JSON parser for events from other producers, which may be hostile: it never recurses
// (containers are tracked on an explicit stack with a depth limit), refuses payloads above a size
// limit, checks UTF-8 before anything else, and reports an offset and a reason instead of
// throwing. The parsed document is a flat array of nodes in document order, reused from payload
// to payload so that a steady stream of events parses without allocating.
namespace gm::json {

enum class Type : std::uint8_t { Null, False, True, Number, String, Array, Object };

std::string_view typeName(Type type); // "null", "boolean", "number", "string", "array", "object"

enum class ParseError : std::uint8_t { None, Empty, TooLarge, InvalidUtf8, Malformed, TooDeep };

struct ParseLimits {
    std::size_t max_bytes = std::size_t{1} << 20;
    int max_depth = 32; // nested arrays and objects; events need three
};

// Whether text is well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
// On failure error_offset receives the offset of the first bad byte.
bool isValidUtf8(std::string_view text, std::size_t* error_offset = nullptr);

class Document {
public:
    using Index = std::uint32_t;

    // Parses text, replacing the previous document. Strings without escapes point into text, so
    // text must stay alive and unchanged while the document is read.
    bool parse(std::string_view text, const ParseLimits& limits = {});

    ParseError error() const { return error_; }
    std::size_t errorOffset() const { return error_offset_; }
    std::string_view errorMessage() const { return error_message_; }

    // Valid only after a successful parse.
    Index root() const { return 0; }
    Type type(Index node) const { return nodes_[node].type; }
    double number(Index node) const { return nodes_[node].number; }
    std::string_view string(Index node) const {
        const Node& n = nodes_[node];
        const char* base = n.in_scratch ? scratch_.data() : text_.data();
        return {base + n.offset, n.count};
    }
    // Number of elements of an array or members of an object.
    std::uint32_t size(Index node) const { return nodes_[node].count; }
    // The first element of an array, or the key of the first member of an object (its value is
    // the node after the key). Meaningful only when size(node) > 0.
    Index firstChild(Index node) const { return node + 1; }
    // The node after this one and all it contains: the next element, or the next member's key.
    Index next(Index node) const {
        const Node& n = nodes_[node];
        return n.type == Type::Array || n.type == Type::Object ? static_cast<Index>(n.end)
                                                               : node + 1;
    }

private:
    struct Node {
        Type type = Type::Null;
        bool in_scratch = false; // string bytes are in scratch_ (unescaped), not in the input
        std::uint32_t count = 0; // containers: children; strings: length in bytes
        union {
            double number;
            std::uint64_t offset; // strings: where the bytes start
            std::uint64_t end;    // containers: index of the node after the last descendant
        };
        Node() : number(0) {}
    };

    bool fail(ParseError error, std::size_t offset, std::string_view message);
    inline bool parseString(std::size_t& pos); // defined and used in json_reader.cpp only
    // After the plain start of a string: an escape (or a fault) at pos.
    bool parseStringAfterPlain(std::size_t& pos, std::size_t start);
    bool parseEscapedString(std::size_t& pos, std::size_t start, Node& node);
    bool parseNumber(std::size_t& pos);
    bool parseLiteral(std::size_t& pos, std::string_view literal, Type type);

    std::string_view text_;
    std::vector<Node> nodes_;
    std::vector<Index> open_; // containers not yet closed, innermost last
    std::string scratch_;     // unescaped strings
    ParseError error_ = ParseError::None;
    std::size_t error_offset_ = 0;
    std::string_view error_message_;
};

} // namespace gm::json
