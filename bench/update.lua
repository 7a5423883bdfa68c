-- PATCH a random action item's status, alternating between two statuses.
dofile("bench/threads.lua")
local statuses = {"in_progress", "open"}
local n = 0
request = function()
  n = n + 1
  local id = math.random(1, tonumber(os.getenv("ITEMS") or "1000000"))
  local body = '{"status":"' .. statuses[(n % 2) + 1] .. '"}'
  return wrk.format("PATCH", "/api/v1/action-items/" .. id, {
    ["Authorization"] = "Bearer " .. os.getenv("TOKEN"),
    ["Content-Type"] = "application/json",
  }, body)
end
