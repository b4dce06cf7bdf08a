-- Replays pre-signed deliveries from BENCH_LINES: one "header-name<TAB>header-value<TAB>body" per line.
local lines = {}
local index = 0

dofile(os.getenv("BENCH_DIR") .. "/pacing.lua")  -- pacing for the latency runs

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
