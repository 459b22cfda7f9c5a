/* Built with -O2 by the tests: variables in location lists, and <optimized out> ones. */
#include <stdio.h>
#include <stdlib.h>
struct pair { int a; long b; };
__attribute__((noinline)) long work(int n, struct pair *p) {
    long total = 0;
    for (int i = 0; i < n; i++) {
        int sq = i * i;
        total += sq + p->a;
    }
    p->b = total;
    printf("%ld\n", total);
    return total;
}
int main(int argc, char **argv) {
    struct pair p = {argc, 0};
    int n = argc > 1 ? atoi(argv[1]) : 5;
    long r = work(n, &p);
    return (int)(r & 1);
}
