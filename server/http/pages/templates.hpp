// A deliberately small mustache-like template language for the worker pages (web/templates).
// Templates are parsed once at startup; rendering is then a walk over the parsed tree and
// never fails (a name that does not resolve renders as nothing).
//
//   {{name}}              the value, HTML-escaped (& < > " ' `). Dotted names ("t.title")
//                         look up the first part on the context stack, then descend.
//   {{{name}}}            the value unescaped: ONLY for fragments the server rendered itself
//                         (the page body inside the layout), never for user input.
//   {{#name}}...{{/name}} a list renders the inside once per element (the element on top of
//                         the context stack); any other truthy value once, with it on top
//                         (so {{.}} inside is the value). Falsy: missing, null, false, "", [], {}.
//   {{^name}}...{{/name}} the inside once when the value is falsy.
//   {{! comment }}        nothing.
//   {{.}}                 the top of the context stack itself (inside list sections).
// Strings render as they are, numbers in JSON notation, true/false as words, the rest as "".
// Thread-safety: a parsed Template/TemplateSet is immutable; render() may be called from any
// number of threads at once.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace grievance::http::web {

// Thrown by Template::parse / TemplateSet::load for a malformed or missing template. Only at
// startup (or in tests): rendering never throws it.
class TemplateError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Escapes & < > " ' ` for HTML text and double- or single-quoted attribute values (templates
// always quote attributes).
std::string html_escape(std::string_view s);

class Template {
 public:
  // Parses `source`; `name` appears in error messages. Throws TemplateError on an unclosed,
  // mismatched or empty tag.
  static Template parse(std::string_view source, std::string name = "template");

  // Renders with `stack` as the context stack, bottom first (later entries shadow earlier
  // ones). The pointers must stay valid during the call.
  std::string render(const std::vector<const nlohmann::json*>& stack) const;
  std::string render(const nlohmann::json& context) const { return render({&context}); }

  // Every name used in a tag ("t.home_title", "errors", ...), for tests that check templates
  // against catalogues.
  std::vector<std::string> names() const;

  struct Node;  // defined in templates.cpp

 private:
  std::shared_ptr<const std::vector<Node>> nodes_;
};

// All *.html files of one directory, keyed by file name without extension.
class TemplateSet {
 public:
  // Throws TemplateError when the directory cannot be read or a template does not parse.
  static TemplateSet load(const std::string& dir);

  bool contains(std::string_view name) const;
  // REQUIRES: contains(name).
  const Template& get(std::string_view name) const;
  const std::map<std::string, Template, std::less<>>& all() const { return templates_; }

 private:
  std::map<std::string, Template, std::less<>> templates_;
};

}  // namespace grievance::http::web
