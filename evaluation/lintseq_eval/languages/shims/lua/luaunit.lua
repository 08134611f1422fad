-- A stand-in for luaunit with exactly what MultiPL-E's Lua tests use: assertEquals and
-- LuaUnit.run. The real luaunit (BSD) is not packaged by Debian and the sandbox has no
-- network; this file is lintseq's own, written for the same semantics: deep equality of
-- tables (same keys, equal values), `==` for everything else; run() calls every global
-- function whose name starts with "test" (sorted), reports failures on stderr and returns
-- their number, which the tests pass to os.exit.
local M = {LuaUnit = {}}

local function equal(a, b)
  if type(a) ~= "table" or type(b) ~= "table" then
    return a == b
  end
  if a == b then
    return true
  end
  for k, v in pairs(a) do
    if not equal(v, b[k]) then
      return false
    end
  end
  for k, _ in pairs(b) do
    if a[k] == nil then
      return false
    end
  end
  return true
end

local function show(x, depth)
  depth = depth or 0
  if type(x) == "string" then
    return string.format("%q", x)
  end
  if type(x) ~= "table" or depth > 3 then
    return tostring(x)
  end
  local keys = {}
  for k in pairs(x) do
    keys[#keys + 1] = k
  end
  table.sort(keys, function(p, q) return tostring(p) < tostring(q) end)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = "[" .. show(k, depth + 1) .. "]=" .. show(x[k], depth + 1)
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function M.assertEquals(actual, expected)
  if not equal(actual, expected) then
    error("expected: " .. show(expected) .. ", actual: " .. show(actual), 2)
  end
end

function M.LuaUnit.run()
  local names = {}
  for name, value in pairs(_G) do
    if type(name) == "string" and name:lower():sub(1, 4) == "test" and type(value) == "function" then
      names[#names + 1] = name
    end
  end
  table.sort(names)
  local failures = 0
  for _, name in ipairs(names) do
    local ok, err = pcall(_G[name])
    if not ok then
      failures = failures + 1
      io.stderr:write(name .. " failed: " .. tostring(err) .. "\n")
    end
  end
  io.stdout:write(string.format("Ran %d tests, %d failures\n", #names, failures))
  return failures
end

return M
