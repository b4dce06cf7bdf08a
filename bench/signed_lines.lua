-- Replays pre-signed deliveries from BENCH_LINES: one "header-name<TAB>header-value<TAB>body" per line.
local lines = {}
local index = 0

-- With BENCH_THINK_MS set, each connection pauses that long between requests: an offered load below
-- saturation, where the latency measured is the server's own and not the length of its queue.
local think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "")
if think_ms then
  function delay()
    return think_ms
  end
end

function init(args)
  for line in io.lines(os.getenv("BENCH_LINES")) do
    lines[#lines + 1] = line
  end
  index = math.random(0, #lines - 1)
end

function request()
  index = (index % #lines) + 1
  local name, value, body = string.match(lines[index], "^([^\t]*)\t([^\t]*)\t(.*)$")
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", [name] = value}, body)
end
