#include "server/net/serialize.hpp"

namespace grievance::net {

void append_response_head(const http::Response& res, std::string& out) {
  const unsigned version = res.version();
  const unsigned code = res.result_int();
  const char start[] = {'H',
                        'T',
                        'T',
                        'P',
                        '/',
                        static_cast<char>('0' + version / 10),
                        '.',
                        static_cast<char>('0' + version % 10),
                        ' ',
                        static_cast<char>('0' + code / 100),
                        static_cast<char>('0' + (code / 10) % 10),
                        static_cast<char>('0' + code % 10),
                        ' '};
  out.append(start, sizeof start);
  // reason() is the one set by hand, else the standard phrase (as Beast's writer).
  out += res.reason();
  out += "\r\n";
  for (const auto& field : res) {
    out += field.name_string();
    out += ": ";
    out += field.value();
    out += "\r\n";
  }
  out += "\r\n";
}

}  // namespace grievance::net
