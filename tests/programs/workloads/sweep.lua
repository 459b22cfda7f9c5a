-- A workload for the differential sweep: reaches much of Lua's interpreter (strings,
-- tables, sorting, patterns, closures, coroutines, errors) and prints nothing.
local t = {}
for i = 1, 30 do
  t[#t + 1] = string.format("%d:%s", i, tostring(i * 1.5))
end
table.sort(t)
local s = table.concat(t, ",")
local n = 0
for w in s:gmatch("%d+") do
  n = n + tonumber(w)
end
local co = coroutine.wrap(function(a)
  local b = coroutine.yield(a + 1)
  return b * 2
end)
co(1)
co(2)
local ok = pcall(error, {code = 1})
local m = setmetatable({}, {__index = function(_, k) return k .. "!" end})
assert(n > 0 and not ok and m.x == "x!" and math.floor(7 / 2) == 3)
