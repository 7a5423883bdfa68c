-- GET PATH with a query parameter no other request has (n=…), so that no
-- cache of any kind, in amends or in front of it, can answer: every
-- request is computed. "{customer}" in PATH becomes a random customer id
-- up to CUSTOMERS. TOKEN or SESSION authenticates; GZIP asks for gzip.
dofile("bench/threads.lua")
local path = os.getenv("PATH_QUERY")
local customers = tonumber(os.getenv("CUSTOMERS") or "2000")
local headers = {}
if os.getenv("TOKEN") then
  headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end
if os.getenv("SESSION") then
  headers["Cookie"] = "amends_session=" .. os.getenv("SESSION")
end
if os.getenv("GZIP") then
  headers["Accept-Encoding"] = "gzip"
end
local sep = "?"
if string.find(path, "?", 1, true) then
  sep = "&"
end
local n = 0
request = function()
  n = n + 1
  local p = string.gsub(path, "{customer}", tostring(math.random(1, customers)))
  return wrk.format("GET", p .. sep .. "n=" .. thread_id .. "-" .. n, headers)
end
