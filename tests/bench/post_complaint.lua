-- wrk script: durable complaint submissions (POST /api/v1/complaints; a 201 means fsync'd).
-- The site comes from the environment (BENCH_SITE_ID, BENCH_COUNTRY). At the end it prints
-- "rows/s <n>" (201 answers per second) and the count of other answers.
local site_id = os.getenv("BENCH_SITE_ID") or "1"
local country = os.getenv("BENCH_COUNTRY") or "ID"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  created = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"language":"en","categories":["wages","working_hours"],' ..
    '"narrative":"Overtime has not been paid for three months; the supervisor says the ' ..
    'quota was not met. Benchmark complaint.","site_id":' .. site_id .. ',"country":"' ..
    country .. '","anonymous":true}'
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total_created, total_other = 0, 0
  for _, thread in ipairs(threads) do
    total_created = total_created + thread:get("created")
    total_other = total_other + thread:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("rows/s %.1f\n", total_created / seconds))
  io.write(string.format("created %d other %d\n", total_created, total_other))
end
