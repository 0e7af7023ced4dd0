-- wrk script: POST JSON bodies and print the results as one JSON line.
--
--   wrk -s bench/post.lua URL -- BODIES_FILE [AUTHORIZATION]
--
-- BODIES_FILE holds one request body per line. With one line the request is built once (wrk's
-- fast path); with several, each thread cycles through them (the write mix).
-- done() prints "BENCH_RESULT {...}": counts, errors, and a grid of latency percentiles (in
-- microseconds) from which the runner merges rounds.

local bodies = {}
local counter = 0
local threads = 0

-- Runs once per thread, before its init(): threads start at different points of the cycle.
function setup(thread)
  thread:set("offset", threads * 7)
  threads = threads + 1
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if #line > 0 then
      bodies[#bodies + 1] = line
    end
  end
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if args[2] ~= nil and #args[2] > 0 then
    wrk.headers["Authorization"] = args[2]
  end
  if #bodies == 1 then
    wrk.body = bodies[1]
  else
    counter = offset or 0
    request = function()
      counter = counter + 1
      return wrk.format(nil, nil, nil, bodies[(counter % #bodies) + 1])
    end
  end
end

local function percentile_grid()
  local grid = {}
  local p = 0.5
  while p <= 99.5 do
    grid[#grid + 1] = p
    p = p + 0.5
  end
  for _, q in ipairs({ 99.6, 99.7, 99.8, 99.9, 99.95, 99.99 }) do
    grid[#grid + 1] = q
  end
  return grid
end

function done(summary, latency, requests)
  local points = {}
  for _, p in ipairs(percentile_grid()) do
    points[#points + 1] = string.format("[%g,%d]", p, latency:percentile(p))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"min":%d,"max":%d,"mean":%.1f,"percentiles":[%s]}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.max, latency.mean, table.concat(points, ",")
  ))
end
