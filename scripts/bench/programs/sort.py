def main():
    # A linear congruential generator, so all three languages sort the same numbers.
    x = 12345
    xs = []
    for i in range(1000000):
        x = (x * 48271) % 2147483647
        xs.append(x / 2147483647)
    xs.sort()
    print(int(xs[500000] * 1000000))
main()
