local parts = {}
for i = 0, 99999 do parts[#parts + 1] = string.format("item %d;", i) end
local s = table.concat(parts, "")
print(#s)
