#include "server/http/pages/templates.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "server/http/files.hpp"
#include "server/http/web_forms.hpp"

namespace grievance::http::web {

using nlohmann::json;

struct Template::Node {
  enum class Kind { kText, kEscaped, kRaw, kSection, kInverted };
  Kind kind = Kind::kText;
  std::string text;  // literal text, or the tag's name
  std::vector<Node> children;
};

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    switch (ch) {
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
        out += "&#39;";
        break;
      case '`':
        out += "&#96;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

namespace {

using Node = Template::Node;

bool valid_name(std::string_view n) {
  if (n.empty()) return false;
  if (n == ".") return true;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

class Parser {
 public:
  Parser(std::string_view src, const std::string& name) : src_(src), name_(name) {}

  std::vector<Node> parse() {
    std::vector<Node> root;
    parse_into(root, "");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw TemplateError(name_ + ": " + what + " at byte " + std::to_string(pos_));
  }

  // Parses until the closing tag of `section` (or the end when `section` is empty).
  void parse_into(std::vector<Node>& out, std::string_view section) {
    while (pos_ < src_.size()) {
      const std::size_t open = src_.find("{{", pos_);
      if (open == std::string_view::npos) {
        out.push_back(Node{Node::Kind::kText, std::string(src_.substr(pos_)), {}});
        pos_ = src_.size();
        break;
      }
      if (open > pos_)
        out.push_back(Node{Node::Kind::kText, std::string(src_.substr(pos_, open - pos_)), {}});
      pos_ = open;
      const bool triple = src_.substr(open, 3) == "{{{";
      const std::string_view closer = triple ? "}}}" : "}}";
      const std::size_t body_start = open + (triple ? 3 : 2);
      const std::size_t close = src_.find(closer, body_start);
      if (close == std::string_view::npos) fail("unclosed tag");
      std::string_view body = src_.substr(body_start, close - body_start);
      pos_ = close + closer.size();
      if (triple) {
        out.push_back(Node{Node::Kind::kRaw, checked_name(body), {}});
        continue;
      }
      if (body.empty()) fail("empty tag");
      const char sigil = body.front();
      if (sigil == '!') continue;
      if (sigil == '#' || sigil == '^') {
        Node node{sigil == '#' ? Node::Kind::kSection : Node::Kind::kInverted,
                  checked_name(body.substr(1)),
                  {}};
        parse_into(node.children, node.text);
        out.push_back(std::move(node));
        continue;
      }
      if (sigil == '/') {
        const std::string closing = checked_name(body.substr(1));
        if (closing != section) fail("unexpected {{/" + closing + "}}");
        return;
      }
      if (sigil == '&') {
        out.push_back(Node{Node::Kind::kRaw, checked_name(body.substr(1)), {}});
        continue;
      }
      out.push_back(Node{Node::Kind::kEscaped, checked_name(body), {}});
    }
    if (!section.empty()) fail("unclosed section {{#" + std::string(section) + "}}");
  }

  std::string checked_name(std::string_view raw) const {
    const std::string_view n = trim_blanks(raw);
    if (!valid_name(n)) fail("bad tag name '" + std::string(n) + "'");
    return std::string(n);
  }

  std::string_view src_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

using Stack = std::vector<const json*>;

const json* lookup(const Stack& stack, std::string_view name) {
  if (stack.empty()) return nullptr;
  if (name == ".") return stack.back();
  const std::size_t dot = name.find('.');
  const std::string first(name.substr(0, dot));
  const json* found = nullptr;
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
    if ((*it)->is_object()) {
      auto f = (*it)->find(first);
      if (f != (*it)->end()) {
        found = &*f;
        break;
      }
    }
  }
  std::string_view rest = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  while (found != nullptr && !rest.empty()) {
    const std::size_t d = rest.find('.');
    const std::string part(rest.substr(0, d));
    rest = d == std::string_view::npos ? std::string_view{} : rest.substr(d + 1);
    if (!found->is_object()) return nullptr;
    auto f = found->find(part);
    found = f == found->end() ? nullptr : &*f;
  }
  return found;
}

bool truthy(const json* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) return !v->get_ref<const std::string&>().empty();
  if (v->is_array() || v->is_object()) return !v->empty();
  return true;
}

std::string as_text(const json* v) {
  if (v == nullptr) return {};
  if (v->is_string()) return v->get<std::string>();
  if (v->is_boolean()) return v->get<bool>() ? "true" : "false";
  if (v->is_number()) return v->dump();
  return {};
}

void render_nodes(const std::vector<Node>& nodes, Stack& stack, std::string& out) {
  for (const Node& n : nodes) {
    switch (n.kind) {
      case Node::Kind::kText:
        out += n.text;
        break;
      case Node::Kind::kEscaped:
        out += html_escape(as_text(lookup(stack, n.text)));
        break;
      case Node::Kind::kRaw:
        out += as_text(lookup(stack, n.text));
        break;
      case Node::Kind::kInverted:
        if (!truthy(lookup(stack, n.text))) render_nodes(n.children, stack, out);
        break;
      case Node::Kind::kSection: {
        const json* v = lookup(stack, n.text);
        if (!truthy(v)) break;
        if (v->is_array()) {
          for (const json& item : *v) {
            stack.push_back(&item);
            render_nodes(n.children, stack, out);
            stack.pop_back();
          }
        } else if (v->is_object()) {
          stack.push_back(v);
          render_nodes(n.children, stack, out);
          stack.pop_back();
        } else {
          stack.push_back(v);  // so that {{.}} is the value itself
          render_nodes(n.children, stack, out);
          stack.pop_back();
        }
        break;
      }
    }
  }
}

void collect_names(const std::vector<Node>& nodes, std::set<std::string>& out) {
  for (const Node& n : nodes) {
    if (n.kind == Node::Kind::kText) continue;
    out.insert(n.text);
    collect_names(n.children, out);
  }
}

}  // namespace

Template Template::parse(std::string_view source, std::string name) {
  Template t;
  t.nodes_ = std::make_shared<const std::vector<Node>>(Parser(source, name).parse());
  return t;
}

std::string Template::render(const std::vector<const json*>& stack) const {
  std::string out;
  if (!nodes_) return out;
  Stack s = stack;
  render_nodes(*nodes_, s, out);
  return out;
}

std::vector<std::string> Template::names() const {
  std::set<std::string> names;
  if (nodes_) collect_names(*nodes_, names);
  return {names.begin(), names.end()};
}

TemplateSet TemplateSet::load(const std::string& dir) {
  namespace fs = std::filesystem;
  TemplateSet set;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) throw TemplateError("cannot read template directory " + dir + ": " + ec.message());
  for (const auto& entry : it) {
    if (!entry.is_regular_file() || entry.path().extension() != ".html") continue;
    auto text = read_file(entry.path());
    if (!text) throw TemplateError("cannot read " + entry.path().string());
    const std::string name = entry.path().stem().string();
    set.templates_.emplace(name, Template::parse(*text, entry.path().filename().string()));
  }
  return set;
}

bool TemplateSet::contains(std::string_view name) const { return templates_.contains(name); }

const Template& TemplateSet::get(std::string_view name) const {
  return templates_.find(name)->second;
}

}  // namespace grievance::http::web
