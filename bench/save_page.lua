-- wrk script: a respondent saves their first page, every statement answered, as the
-- browser posts it (the page's form key, "Save and continue"). A random respondent
-- of bench/out/respondents.lua (bench/respondents.py) for every request, so many
-- respondents save at once; a save is idempotent, so saving again is a real save.
-- Usage: wrk -t2 -c32 -d10s --latency -s bench/save_page.lua http://127.0.0.1:8902
dofile("bench/out/respondents.lua")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  math.randomseed(os.time() * 100 + (thread_number or 0))
end

function request()
  local r = respondents[math.random(1, #respondents)]
  local parts = { "page=" .. r[3], "key=" .. r[2], "next=1", "comment=" }
  for _, item in ipairs(r[4]) do
    parts[#parts + 1] = item .. "=" .. math.random(0, 4)   -- 0 is "don't know"
  end
  return wrk.format("POST", r[1], { ["Content-Type"] = "application/x-www-form-urlencoded" },
                    table.concat(parts, "&"))
end

