-- wrk script: GET the report of a random round (1..N) on every request, so a
-- per-round report cache is mostly cold. Round r belongs to partnership
-- floor((r-1)/years)+1, as bench/generate.py numbers them.
-- Usage (the session cookie comes from -H and reaches every request):
--   wrk -t2 -c32 -d10s --latency -H 'Cookie: session=...' -s bench/random_round.lua \
--       http://127.0.0.1:8902 -- scan 1000 10
--   wrk -t2 -c32 -d10s --latency -s bench/random_round.lua http://127.0.0.1:8901 -- ceiling 1000
local kind, rounds, years = "scan", 1000, 10
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  kind = args[1] or kind
  rounds = tonumber(args[2]) or rounds
  years = tonumber(args[3]) or years
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  local rid = math.random(1, rounds)
  if kind == "ceiling" then
    return wrk.format(nil, "/report/" .. rid)
  end
  local pid = math.floor((rid - 1) / years) + 1
  return wrk.format(nil, string.format("/p/%d/rounds/%d/report/samen-opleiden", pid, rid))
end
