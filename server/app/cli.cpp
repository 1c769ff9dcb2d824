#include "server/app/cli.hpp"

#include <algorithm>
#include <optional>

namespace grievance::app {

namespace {

domain::Error usage_error(std::string message) {
  return domain::Error{domain::ErrorCode::kInvalidRequest, std::move(message), {}};
}

const OptionSpec* find_option(const CommandSpec& spec, std::string_view name) {
  auto it = std::find_if(spec.options.begin(), spec.options.end(),
                         [&](const OptionSpec& o) { return o.name == name; });
  return it == spec.options.end() ? nullptr : &*it;
}

}  // namespace

std::string Args::get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second;
}

domain::Result<Args> parse_args(const CommandSpec& spec, std::span<const std::string_view> args) {
  Args parsed;
  if (std::find(args.begin(), args.end(), "--help") != args.end() ||
      std::find(args.begin(), args.end(), "-h") != args.end()) {
    parsed.help = true;
    return parsed;
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--") || arg.size() == 2) {
      return domain::fail(usage_error("unexpected argument '" + std::string(arg) + "'"));
    }
    arg.remove_prefix(2);
    std::string_view name = arg;
    std::optional<std::string_view> inline_value;
    if (auto eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      inline_value = arg.substr(eq + 1);
    }
    const OptionSpec* option = find_option(spec, name);
    if (option == nullptr) {
      return domain::fail(usage_error("unknown option --" + std::string(name)));
    }
    if (parsed.has(name)) {
      return domain::fail(usage_error("option --" + std::string(name) + " given twice"));
    }
    if (option->value_name.empty()) {
      if (inline_value) {
        return domain::fail(usage_error("option --" + std::string(name) + " takes no value"));
      }
      parsed.set(name, "");
      continue;
    }
    if (inline_value) {
      parsed.set(name, std::string(*inline_value));
    } else if (i + 1 < args.size()) {
      parsed.set(name, std::string(args[++i]));
    } else {
      return domain::fail(usage_error("option --" + std::string(name) + " needs a value (" +
                                      std::string(option->value_name) + ")"));
    }
  }
  for (const OptionSpec& option : spec.options) {
    if (option.required && !parsed.has(option.name)) {
      return domain::fail(usage_error("missing --" + std::string(option.name) + " " +
                                      std::string(option.value_name)));
    }
  }
  return parsed;
}

// Appended piece by piece: g++ 12 at -O3 reports a false -Werror=restrict inside
// `const char* + std::string&&` (GCC bug 105329), which broke the Release build.
std::string help_text(const CommandSpec& spec) {
  std::string text = "usage: ";
  text.append(spec.usage).append("\n\n").append(spec.summary).append("\n\noptions:\n");
  for (const OptionSpec& option : spec.options) {
    std::string left = "  --";
    left.append(option.name);
    if (!option.value_name.empty()) left.append(" ").append(option.value_name);
    if (left.size() < 26) left.resize(26, ' ');
    text.append(left).append(" ").append(option.help);
    if (option.required) text.append(" (required)");
    text.append("\n");
  }
  text += "  --help                   show this help\n";
  return text;
}

}  // namespace grievance::app
