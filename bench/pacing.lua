-- Shared by the wrk scripts (bench/server.py sets BENCH_DIR). With BENCH_THINK_MS set, each connection
-- pauses that long between requests: an offered load below saturation, where the latency measured is
-- the server's own and not the length of its queue.
local think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "")
if think_ms then
  function delay()
    return think_ms
  end
end
