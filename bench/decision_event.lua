-- Unique decision events: the candidate ID carries the thread and a counter, so every request is an insert.
local counter = 0

local explanation = os.getenv("BENCH_EXPLANATION") or "false"
local key = os.getenv("NYC_HIRING_API_KEY")
local run = os.getenv("BENCH_RUN") or "0"

dofile(os.getenv("BENCH_DIR") .. "/pacing.lua")  -- pacing for the latency runs

function setup(thread)
  thread:set("thread_id", math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"candidateIdRaw":"cand_%s_%d_%d","jobIdRaw":"job_67890","decision":"reject",' ..
    '"decisionTimestamp":"2026-11-27T10:00:00Z","decisionFactors":[' ..
    '{"factor":"years_experience","value":2,"weight":0.3,"contribution":"negative"},' ..
    '{"factor":"technical_score","value":45,"weight":0.4,"contribution":"negative"}],' ..
    '"aedtName":"CustomATS AI","aedtVersion":"1.0","requestExplanation":%s}',
    run, thread_id or 0, counter, explanation)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
