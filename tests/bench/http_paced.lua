-- wrk script for the HTTP API benchmark (BENCHMARKS.md): each connection waits `delay_ms`
-- between requests, so N connections make about N * 1000 / delay_ms requests a second
-- (less the service time), and wrk --latency reports the latency distribution at that load.
local delay_ms = tonumber(os.getenv("GM_DELAY_MS") or "10")
local key = os.getenv("GM_API_KEY")
-- GM_VARY_OFFSET=N: each request asks for offset=0..N-1 in turn (appended to the URL's query),
-- so consecutive requests differ and the server cannot reuse an answer it gave before.
local vary = tonumber(os.getenv("GM_VARY_OFFSET") or "0")
local counter = 0

function init(args)
  if key then
    wrk.headers["X-API-Key"] = key
  end
end

function request()
  if vary > 0 then
    counter = counter + 1
    return wrk.format(nil, wrk.path .. "&offset=" .. (counter % vary))
  end
  return wrk.format(nil, wrk.path)
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if status ~= 200 then
    error("status " .. status .. ": " .. body)
  end
end
