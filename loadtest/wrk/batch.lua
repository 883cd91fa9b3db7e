-- wrk script: a batch of BATCH (default 100) usage events per POST /api/usages, each with a unique id, spread over SUBJECTS subjects and
-- METERS meters. The API key comes from the API_KEY environment variable (./dev up writes it to
-- .data/dev-api-key). At the end it prints the count of responses by status, so errors cannot hide.
--   API_KEY=$(cat .data/dev-api-key) wrk -t2 -c64 -d180s --latency -s loadtest/wrk/batch.lua http://127.0.0.1:8080
local subjects = tonumber(os.getenv("SUBJECTS") or "1000")
local meters = tonumber(os.getenv("METERS") or "5")
local key = os.getenv("API_KEY") or error("set API_KEY")
local threads = {}
local counter = 0
local prefix

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = string.format("wrk-%d-%d-%d", os.time(), id, math.random(1, 1e9))
  statuses = {}
end

local headers = {
  ["Authorization"] = "Bearer " .. key,
  ["Content-Type"] = "application/json",
}

local batch = tonumber(os.getenv("BATCH") or "100")

function request()
  local events = {}
  local now = os.date("!%Y-%m-%dT%H:%M:%S")
  for i = 1, batch do
    counter = counter + 1
    -- A timestamp, as producers send: the edge reads one per event (milliseconds made up, within the second).
    events[i] = string.format(
      '{"id":"%s-%d","subject":"subject-%d","meter":"meter-%d","quantity":%d,"timestamp":"%s.%03dZ"}',
      prefix, counter, counter % subjects, counter % meters, counter % 10, now, counter % 1000)
  end
  return wrk.format("POST", "/api/usages", headers, "[" .. table.concat(events, ",") .. "]")
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, count in pairs(s) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    io.write(string.format("status %d: %d\n", status, count))
  end
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("requests/s %.0f, requests/min %.0f\n",
    summary.requests / (summary.duration / 1e6), summary.requests / (summary.duration / 6e7)))
end
