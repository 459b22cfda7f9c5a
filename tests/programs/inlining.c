/* Small functions gcc inlines at -O2, and one it must not: for inlined frames. */
#include <stdio.h>
#include <stdlib.h>

static inline int clamp(int value, int low, int high)
{
    if (value < low)
        return low;
    if (value > high)
        return high;
    return value;
}

static inline int scale(int value)
{
    int clamped = clamp(value, 0, 100);
    return clamped * 3;
}

__attribute__((noinline)) int report(int value)
{
    printf("value %d\n", value);
    return value + 1;
}

int main(int argc, char **argv)
{
    int total = 0;
    for (int i = 1; i < argc + 3; i++) {
        total += report(scale(atoi(argc > 1 ? argv[1] : "7") * i));
    }
    printf("total %d\n", total);
    return 0;
}
