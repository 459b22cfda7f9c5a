/* Goto labels in gdb's eyes: one with no code left (no address in the DWARF) is listed
   with the locals as <optimized out>; one the program jumps to is not; at -O2 checked()
   is inlined and its copy of `fail` takes its address from the abstract origin. */
#include <stdio.h>
#include <stdlib.h>

static volatile int sink;

int pick(int x) {
    int twice = x * 2;
    int tries = 0;
retry:
    sink = twice;
    if (x < 0 && tries++ < 2)
        goto retry;
    if (x > 0)
        return twice;
    return -twice;
unreachable:
    sink = 7;
    return 0;
}

int checked(int x) {
    int doubled = x * 2;
    if (x < 0)
        goto fail;
    sink = doubled;
    return doubled;
fail:
    abort();
}

int main(int argc, char **argv) {
    (void)argv;
    int total = 0;
    for (int i = 0; i < argc + 2; i++)
        total += checked(i) + pick(i);
    printf("total %d\n", total);
    return 0;
}
