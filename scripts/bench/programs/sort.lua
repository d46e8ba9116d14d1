-- A linear congruential generator, so all three languages sort the same numbers.
local x = 12345
local xs = {}
for i = 1, 1000000 do
  x = (x * 48271) % 2147483647
  xs[#xs + 1] = x / 2147483647
end
table.sort(xs)
print(math.floor(xs[500001] * 1000000))
