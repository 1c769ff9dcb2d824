// GET /api/v1/stats and the statistics exports (issue 11; SPEC section 4; docs/domain.md
// "Statistics"). The domain decides the scope and the protection; this file reads the filters
// and writes the table (stats_format.hpp).
#include <optional>

#include "server/http/api/answers.hpp"
#include "server/http/api/api.hpp"
#include "server/http/api/common.hpp"
#include "server/http/auth.hpp"
#include "server/http/responses.hpp"
#include "server/http/stats_format.hpp"

namespace grievance::http::api {
namespace {

using domain::Error;

// The filters of /stats, or the first unknown parameter (400).
domain::Result<domain::StatsRequest> stats_request(std::string_view target) {
  if (auto ok = require_query_params(target, {"from", "to", "company", "site", "sector", "country",
                                              "category", "channel", "group_by"});
      !ok) {
    return domain::fail(ok.error());
  }
  domain::StatsRequest r;
  for (auto [name, slot] :
       {std::pair{"from", &r.from}, std::pair{"to", &r.to}, std::pair{"company", &r.company},
        std::pair{"site", &r.site}, std::pair{"sector", &r.sector},
        std::pair{"country", &r.country}, std::pair{"category", &r.category},
        std::pair{"channel", &r.channel}, std::pair{"group_by", &r.group_by}}) {
    *slot = query_param(target, name).value_or("");
  }
  return r;
}

// A table's answer, JSON or CSV, written as its rows come (StatsService::table_rows): in one
// response when it fits in a piece; larger, and when the connection can stream (ctx.stream),
// sent in pieces of about kTablePiece bytes as its rows are written. A table by site and month
// over a million cases is about 70 MB of JSON from fifty thousand rows: neither the text nor the
// rows are ever held whole, and the first pieces are on their way while the rest are made.
constexpr std::size_t kTablePiece = 64 * 1024;

class TableAnswer final : public domain::StatsRowSink {
 public:
  TableAnswer(const Request& req, const RequestContext& ctx, bool csv, std::string_view disposition)
      : req_(req), ctx_(ctx), csv_(csv), res_(bhttp::status::ok, req.version()) {
    res_.set(bhttp::field::content_type,
             csv ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8");
    if (!disposition.empty()) res_.set(bhttp::field::content_disposition, disposition);
  }

  void begin(const domain::StatsTable& head) override {
    if (csv_) {
      csv_rows_.emplace(buffer_, head);
    } else {
      writer_.emplace(buffer_);  // `buffer_` holds what is not sent yet once the writer is gone
      json_rows_.emplace(*writer_, head);
    }
  }

  bool row(domain::StatsRow& row) override {
    if (csv_) {
      csv_rows_->row(row);
    } else {
      json_rows_->row(row);
    }
    if (ctx_.stream == nullptr) return true;
    if ((csv_ ? buffer_.size() : writer_->written()) < kTablePiece) return true;
    const bool going = send(csv_ ? std::string_view(buffer_) : writer_->pending());
    if (csv_) {
      buffer_.clear();
    } else {
      writer_->restart();
    }
    return going;
  }

  // The answer once every row is in, or the rows stopped because the client left. Once
  // streaming has begun, the Response returned is not sent.
  Response finish() {
    if (json_rows_) json_rows_->end();
    json_rows_.reset();
    writer_.reset();
    if (!streaming_) {
      res_.body() = std::move(buffer_);
      http::finish(res_, req_.version(), req_.keep_alive());
      return std::move(res_);
    }
    // Ended only when complete; a client that left gets no end, and net closes the connection.
    if (!gone_ && send(buffer_)) ctx_.stream->end();
    return std::move(res_);
  }

 private:
  // One piece to the connection, the head first; false (and gone) once the client is gone.
  bool send(std::string_view piece) {
    if (gone_) return false;
    if (!streaming_) {
      http::finish(res_, req_.version(), req_.keep_alive());
      streaming_ = true;
      if (!ctx_.stream->begin(res_)) return !(gone_ = true);
    }
    if (!piece.empty() && !ctx_.stream->write(piece)) return !(gone_ = true);
    return true;
  }

  const Request& req_;
  const RequestContext& ctx_;
  bool csv_;
  Response res_;
  std::string buffer_;
  std::optional<JsonWriter> writer_;
  std::optional<StatsJsonRows> json_rows_;  // over writer_
  std::optional<StatsCsvRows> csv_rows_;    // over buffer_
  bool streaming_ = false, gone_ = false;
};

// The table of `request` for `session`, written as its rows come (TableAnswer).
Response table_answer(const Api& api, const Request& req, const RequestContext& ctx,
                      const domain::Session& session, const domain::StatsRequest& request, bool csv,
                      std::string_view disposition) {
  TableAnswer answer(req, ctx, csv, disposition);
  if (auto ok = api.services.stats.table_rows(session, request, answer); !ok) {
    // Before the first piece went out, a clean error; after it (a store failing in the middle of
    // a table the rollup streams), this answer is not sent and net closes the connection
    // unfinished (TableAnswer::finish is never reached), so no client takes a part for the whole.
    return error_response(ok.error(), req);
  }
  return answer.finish();
}

// The table as a file: CSV or JSON.
Response export_stats(const Api& api, Request& req, const RequestContext& ctx, bool csv) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  if (!domain::may_export_stats(session.role)) {
    return error_response(Error::forbidden("Exports are for auditors and the operator."), req);
  }
  GRV_TRY(request, stats_request(req.target()));
  return table_answer(
      api, req, ctx, session, request, csv,
      std::string("attachment; filename=\"grievance-stats.") + (csv ? "csv" : "json") + "\"");
}

// The case export's rows, written in pieces of about kPiece bytes: to the connection when the
// server can stream (ctx.stream), else into one body (tests, and a server that cannot).
class CaseRowsWriter final : public domain::CaseExportSink {
 public:
  static constexpr std::size_t kPiece = 64 * 1024;

  CaseRowsWriter(const Request& req, const RequestContext& ctx, bool csv)
      : req_(req), stream_(ctx.stream), csv_(csv), res_(bhttp::status::ok, req.version()) {}

  bool begin(domain::Protection protection, int k) override {
    res_.set(bhttp::field::content_type,
             csv_ ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8");
    res_.set(
        bhttp::field::content_disposition,
        std::string("attachment; filename=\"grievance-cases.") + (csv_ ? "csv" : "json") + "\"");
    finish(res_, req_.version(), req_.keep_alive());
    if (stream_ && !stream_->begin(res_)) return false;
    begun_ = true;
    const auto& columns = domain::case_export_columns();
    if (csv_) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) buffer_ += ',';
        buffer_ += csv_text(columns[i]);
      }
      buffer_ += "\r\n";
    } else {
      JsonWriter w(buffer_);
      w.begin_object();
      w.field("protection", protection == domain::Protection::kExact ? "exact" : "protected");
      w.field("k", k);
      w.key("columns").begin_array();
      for (const auto& c : columns) w.value(c);
      w.end_array();
      w.key("rows").begin_array();  // closed by finish_export: "]}"
    }
    return flush(false);
  }

  bool row(const domain::CaseExportRow& r) override {
    const auto figure = [](const std::optional<double>& v) {
      return v ? format_figure(*v) : std::string();
    };
    const std::string satisfaction = r.satisfaction ? std::to_string(*r.satisfaction) : "";
    const std::string cells[] = {r.id,
                                 r.period,
                                 r.site,
                                 r.company,
                                 r.sector,
                                 r.country,
                                 r.categories,
                                 r.channel,
                                 r.status,
                                 r.outcome,
                                 figure(r.days_to_acknowledgement),
                                 figure(r.days_to_first_response),
                                 figure(r.days_to_resolution),
                                 satisfaction,
                                 std::string(domain::to_string(r.coarsening))};
    const auto& columns = domain::case_export_columns();
    if (csv_) {
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) buffer_ += ',';
        buffer_ += csv_text(cells[i]);
      }
      buffer_ += "\r\n";
    } else {
      // Numbers (durations, satisfaction) as numbers, an absent one as null, the rest as text.
      if (rows_ > 0) buffer_ += ',';
      JsonWriter w(buffer_);
      w.begin_object();
      for (std::size_t i = 0; i < columns.size(); ++i) {
        w.key(columns[i]);
        const bool number = i >= 10 && i <= 13;
        if (!number) {
          w.value(cells[i]);
        } else if (cells[i].empty()) {
          w.null();
        } else {
          w.raw(cells[i]);
        }
      }
      w.end_object();
    }
    ++rows_;
    return buffer_.size() < kPiece || flush(false);
  }

  // The answer once the export is done: complete (end of the stream, or the whole body) or cut
  // off (an error after the first row was sent: the connection ends without a last chunk).
  Response finish_export(const domain::Status& outcome) {
    if (!begun_) return Response{};
    if (!outcome) {
      if (!stream_) return error_response(outcome.error(), req_);
      return std::move(res_);  // begun and not ended: net closes the connection
    }
    if (!csv_) buffer_ += "]}";
    flush(true);
    return std::move(res_);
  }
  bool begun() const { return begun_; }

 private:
  bool flush(bool last) {
    if (stream_) {
      if (gone_) return false;  // the client left: nothing more, and never the end
      gone_ = !(buffer_.empty() || stream_->write(buffer_));
      buffer_.clear();
      if (!gone_ && last) return stream_->end();
      return !gone_;
    }
    res_.body() += buffer_;
    buffer_.clear();
    if (last) res_.prepare_payload();
    return true;
  }

  const Request& req_;
  http::ResponseStream* stream_;
  bool csv_;
  Response res_;
  std::string buffer_;
  std::int64_t rows_ = 0;
  bool begun_ = false;
  bool gone_ = false;
};

Response export_cases(const Api& api, Request& req, const RequestContext& ctx, bool csv) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(request, stats_request(req.target()));
  CaseRowsWriter writer(req, ctx, csv);
  const auto outcome = api.services.stats.export_cases(session, request, writer);
  if (!writer.begun()) {
    if (!outcome) return error_response(outcome.error(), req);
    return error_response(domain::Error::unavailable("The export was interrupted."), req);
  }
  return writer.finish_export(outcome);
}

}  // namespace

Response stats(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  GRV_TRY(request, stats_request(req.target()));
  return table_answer(api, req, ctx, session, request, false, {});
}

Response export_stats_csv(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  return export_stats(api, req, ctx, true);
}
Response export_stats_json(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  return export_stats(api, req, ctx, false);
}

Response export_cases_csv(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  return export_cases(api, req, ctx, true);
}
Response export_cases_json(const Api& api, Request& req, const RequestContext& ctx, const Params&) {
  return export_cases(api, req, ctx, false);
}

// A company's annual figures (ESRS S1-17, GRI 2-25): its own cases filed in the year, exact.
Response export_disclosure(const Api& api, Request& req, const RequestContext&, const Params&) {
  GRV_TRY(session, authenticate(req, api.services.sessions));
  const std::string_view target = req.target();
  GRV_CHECK(require_query_params(target, {"year", "company"}));
  GRV_TRY(d, api.services.stats.annual_disclosure(session, query_param(target, "year").value_or(""),
                                                  query_param(target, "company").value_or("")));
  Response res{bhttp::status::ok, req.version()};
  const std::string year = std::to_string(d.year);
  {
    JsonWriter w(res.body());
    w.begin_object();
    w.field("company", d.company_org_id);
    w.field("year", d.year);
    w.key("period").begin_object();
    w.field("from", year + "-01-01").field("to", year + "-12-31");
    w.end_object();
    w.key("esrs_s1_17").begin_object();
    w.field("complaints_filed", d.complaints_filed);
    w.field("discrimination_or_harassment", d.discrimination_or_harassment);
    w.field("severe_human_rights_cases", d.severe_cases);
    w.field("severe_cases_remedied", d.severe_cases_remedied);
    w.end_object();
    // GRI 2-25: the year's row of /stats, every column (null: no case in the year).
    w.key("gri_2_25");
    if (d.complaints_filed == 0) {
      w.null();
    } else {
      w.begin_object();
      for (const StatsCell& c : stats_cells(d.figures, 0)) {
        w.key(c.name);
        if (c.text.empty()) {
          w.null();
        } else {
          w.raw(c.text);
        }
      }
      w.end_object();
    }
    w.end_object();
  }  // the writer settles the body's size
  res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  res.set(bhttp::field::content_disposition, "attachment; filename=\"grievance-disclosure-" +
                                                 std::to_string(d.company_org_id) + "-" + year +
                                                 ".json\"");
  finish(res, req.version(), req.keep_alive());
  return res;
}

}  // namespace grievance::http::api
