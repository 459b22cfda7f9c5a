/* A function gcc splits in two at -O2: its unlikely branch goes to check.cold, placed
   below the function's entry, and the call from there is where the stack is read. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline, cold)) void report(const char *what, int value)
{
    fprintf(stderr, "%s: %d\n", what, value);
}

__attribute__((noinline)) int check(const char *what, int value, int limit)
{
    if (__builtin_expect(value > limit, 0)) {
        report(what, value);
        return limit;
    }
    return value * 2;
}

int main(int argc, char **argv)
{
    (void)argv;
    int total = 0;
    for (int i = 0; i < 3; i++)
        total += check("value", argc + i * 4, 6);
    printf("%d\n", total);
    return 0;
}
