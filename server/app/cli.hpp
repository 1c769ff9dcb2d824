// A small command-line parser for the grievance binary (docs/operations.md "Commands"): `--name
// value`,
// `--name=value` and bare `--flag`s, with `--help` on every command. Hand-written: a handful
// of flags does not need Boost.ProgramOptions.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/domain/result.hpp"

namespace grievance::app {

struct OptionSpec {
  std::string_view name;        // without the leading "--"
  std::string_view value_name;  // empty: a flag without a value
  bool required = false;
  std::string_view help;
};

struct CommandSpec {
  std::string_view usage;    // "grievance backup --data DIR --out FILE"
  std::string_view summary;  // one sentence
  std::vector<OptionSpec> options;
};

class Args {
 public:
  bool help = false;  // --help was given: nothing else was checked
  bool has(std::string_view name) const { return values_.contains(std::string(name)); }
  // The value of --name, or `fallback` when absent.
  std::string get(std::string_view name, std::string_view fallback = {}) const;
  void set(std::string_view name, std::string value) { values_[std::string(name)] = value; }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// Errors (kInvalidRequest, a one-line message): an unknown option, a missing value, an option
// given twice, a missing required option, a stray positional argument.
domain::Result<Args> parse_args(const CommandSpec& spec, std::span<const std::string_view> args);

// The --help text: usage, summary and one line per option.
std::string help_text(const CommandSpec& spec);

}  // namespace grievance::app
