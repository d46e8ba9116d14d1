def main():
    parts = []
    for i in range(100000):
        parts.append(f"item {i};")
    s = "".join(parts)
    print(len(s))
main()
